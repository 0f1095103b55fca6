//! The computer itself, as its operating system describes itself: for the report's `system`
//! block, so a service desk knows which OS and version a report came from.

use crate::report::model::SystemInfo;

/// This computer's OS, version and architecture (no administrator rights needed: sysinfo reads
/// `/etc/os-release` on Linux, `kern.osproductversion` on macOS, the registry on Windows).
#[must_use]
pub fn system_info() -> SystemInfo {
    SystemInfo {
        os: std::env::consts::OS.to_owned(),
        os_version: sysinfo::System::os_version().ok(),
        os_name: sysinfo::System::long_os_version().ok(),
        arch: std::env::consts::ARCH.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_this_os_and_architecture() {
        let s = system_info();
        assert_eq!(s.os, std::env::consts::OS);
        assert_eq!(s.arch, std::env::consts::ARCH);
        if s.os == "linux" && std::path::Path::new("/etc/os-release").exists() {
            assert!(s.os_version.is_some() || s.os_name.is_some(), "{s:?}");
        }
    }
}
