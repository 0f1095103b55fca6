//! Test helper for `tests/netns_vpn.rs`: prints what `hmsaccess interfaces --json` would, from
//! inside whatever network namespace it runs in.
//!
//! `HMSACCESS_TEST_MARS=ADDR[,ADDR…]` and `HMSACCESS_TEST_GATEWAY=ADDR[,ADDR…]` (tests only)
//! stand in for the resolved addresses of MARS and of the HMS VPN gateway, so that the role
//! rules can be exercised without DNS; the library itself never reads them.
//! `--human` prints the human form instead of JSON. `--bench N` times the OS reading
//! (`os::read`) N times and prints the median and range (milliseconds) instead.

use std::io::Write;
use std::net::IpAddr;

use hmsaccess::commands::interfaces::{interfaces_command, write_interfaces};
use hmsaccess::report::model::Role;
use hmsaccess::{netif, os};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let human = args.iter().any(|a| a == "--human");
    if let Some(n) = args
        .iter()
        .position(|a| a == "--bench")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
    {
        let known = hmsaccess::run::known_vpns(&hmsaccess::profile::Profile::embedded());
        let mut ms: Vec<f64> = (0..n.max(1))
            .map(|_| {
                let t = std::time::Instant::now();
                let c = os::read(&known.hosts(), |_| {});
                std::hint::black_box(c);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        println!(
            "os::read(): {} runs, median {:.1} ms, min {:.1} ms, max {:.1} ms",
            ms.len(),
            ms[ms.len() / 2],
            ms[0],
            ms[ms.len() - 1]
        );
        return Ok(());
    }
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
        interfaces_command(!human, &mut out)?;
    } else {
        let known = hmsaccess::run::known_vpns(&hmsaccess::profile::Profile::embedded());
        let reading = os::read(&known.hosts(), |_| {});
        let vpns = netif::classify(&reading, &known, &targets);
        write_interfaces(&mut out, !human, &reading, &vpns)?;
    }
    out.flush()
}
