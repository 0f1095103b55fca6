//! Exit statuses: the contract's table in one place.

use std::process::ExitCode;

use crate::report::model::VerdictCode;

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// A diagnosis finished: the verdict's own code (0, 10–19).
    Verdict(VerdictCode),
    /// Rendering or another command succeeded.
    Success,
    /// The tool itself broke.
    Internal,
    /// Bad flags or arguments.
    Usage,
    /// An unreadable or invalid profile or report.
    BadInput,
}

impl Exit {
    /// The numeric status.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Exit::Verdict(v) => v.exit_code(),
            Exit::Success => 0,
            Exit::Internal => 1,
            Exit::Usage => 2,
            Exit::BadInput => 3,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// A failure of the tool (not of the network): one line for the user, and how to exit.
#[derive(Debug)]
pub struct Failure {
    /// How to exit.
    pub exit: Exit,
    /// One line saying what is wrong and what to do.
    pub message: String,
}

impl Failure {
    /// Bad input (exit 3).
    #[must_use]
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::BadInput,
            message: message.into(),
        }
    }

    /// The tool broke (exit 1).
    #[must_use]
    pub fn internal(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Internal,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_exit_codes() {
        let table = [
            ("hms-vpn", 0),
            ("inside-lma", 0),
            ("needs-hms-vpn", 10),
            ("conflicting-vpns", 11),
            ("offline", 12),
            ("dns-failure", 13),
            ("captive-portal", 14),
            ("mars-unreachable", 15),
            ("tls-intercepted", 16),
            ("clock-wrong", 17),
            ("blocked-locally", 18),
            ("inconclusive", 19),
        ];
        for (name, code) in table {
            let v = VerdictCode::ALL
                .into_iter()
                .find(|v| v.as_str() == name)
                .unwrap();
            assert_eq!(Exit::Verdict(v).code(), code, "{name}");
        }
        assert_eq!(
            (
                Exit::Internal.code(),
                Exit::Usage.code(),
                Exit::BadInput.code()
            ),
            (1, 2, 3)
        );
    }
}
