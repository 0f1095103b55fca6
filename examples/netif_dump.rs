//! Test helper for `tests/netns_vpn.rs`: prints what `hmsaccess interfaces --json` would, from
//! inside whatever network namespace it runs in.
//!
//! `HMSACCESS_TEST_MARS=ADDR[,ADDR…]` and `HMSACCESS_TEST_GATEWAY=ADDR[,ADDR…]` (tests only)
//! stand in for the resolved addresses of MARS and of the HMS VPN gateway, so that the role
//! rules can be exercised without DNS; the library itself never reads them.
//! `--human` prints the human form instead of JSON.

use std::io::Write;
use std::net::IpAddr;

use hmsaccess::netif;
use hmsaccess::report::model::Role;

fn main() -> std::io::Result<()> {
    let human = std::env::args().any(|a| a == "--human");
    let mut out = std::io::stdout().lock();
    let addrs = |var: &str| -> Option<Vec<IpAddr>> {
        let list = std::env::var(var).ok()?;
        Some(
            list.split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect(),
        )
    };
    let targets: Vec<(Role, Vec<IpAddr>)> = [
        (Role::Mars, addrs("HMSACCESS_TEST_MARS")),
        (Role::Gateway, addrs("HMSACCESS_TEST_GATEWAY")),
    ]
    .into_iter()
    .filter_map(|(role, a)| a.map(|a| (role, a)))
    .collect();
    if targets.is_empty() {
        netif::interfaces_command(!human, &mut out)?;
    } else {
        let collected = netif::collect(&["vpn.hms.harvard.edu".to_string()]);
        let vpns = netif::classify(&collected, &targets);
        netif::write_interfaces(&mut out, !human, &collected, &vpns)?;
    }
    out.flush()
}
