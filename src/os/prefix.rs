//! IP prefixes (`198.18.20.0/24`): the destination of a route, parsed from and printed as the OS
//! tools and the report write them.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

/// An IP prefix (`198.18.20.0/24`): a route's destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefix {
    /// The network address (host bits may be set; they are ignored by [`Prefix::contains`]).
    pub addr: IpAddr,
    /// Prefix length in bits (0..=32 for IPv4, 0..=128 for IPv6).
    pub len: u8,
}

impl Prefix {
    /// A prefix; `len` is clamped to the address family's width.
    #[must_use]
    pub fn new(addr: IpAddr, len: u8) -> Prefix {
        let max = if addr.is_ipv4() { 32 } else { 128 };
        Prefix {
            addr,
            len: len.min(max),
        }
    }

    /// A host route's prefix (`/32` or `/128`).
    #[must_use]
    pub fn host(addr: IpAddr) -> Prefix {
        Prefix::new(addr, if addr.is_ipv4() { 32 } else { 128 })
    }

    /// True when `ip` lies inside this prefix (same address family only).
    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.len))
                };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.len))
                };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }

    /// True for a host route (`/32`, `/128`).
    #[must_use]
    pub fn is_host(&self) -> bool {
        self.len == if self.addr.is_ipv4() { 32 } else { 128 }
    }

    /// True for the default route and for the halves VPN clients install instead of it.
    ///
    /// OpenVPN's `redirect-gateway def1` (and Tunnelblick, openconnect's vpnc-script on macOS)
    /// add `0.0.0.0/1` + `128.0.0.0/1`; WireGuard configs commonly use `::/1` + `8000::/1`, and
    /// some `2000::/3` (all global unicast). Such a route covers every address, so it says nothing
    /// about whose tunnel it is (issue 3: "a default route alone says nothing").
    #[must_use]
    pub fn is_default_like(&self) -> bool {
        match self.addr {
            IpAddr::V4(_) => self.len <= 1,
            IpAddr::V6(_) => self.len <= 3,
        }
    }

    /// The last address of the prefix (IPv4 broadcast address).
    pub(crate) fn last_v4(&self) -> Option<Ipv4Addr> {
        match self.addr {
            IpAddr::V4(a) if self.len < 32 => {
                let host = u32::MAX >> u32::from(self.len);
                Some(Ipv4Addr::from(u32::from(a) | host))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

impl FromStr for Prefix {
    type Err = String;

    /// Parses `198.18.0.2/24`, `fe80::1%utun0/64` (the scope is dropped) or a bare address.
    fn from_str(s: &str) -> Result<Prefix, String> {
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr = addr.split('%').next().unwrap_or(addr);
        let addr: IpAddr = addr.parse().map_err(|_| format!("not an address: {s}"))?;
        let len = match len {
            Some(l) => l.parse::<u8>().map_err(|_| format!("bad prefix: {s}"))?,
            None => {
                if addr.is_ipv4() {
                    32
                } else {
                    128
                }
            }
        };
        Ok(Prefix::new(addr, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn prefix_contains_and_defaults() {
        let p: Prefix = "198.18.20.0/24".parse().unwrap();
        assert!(p.contains(ip("198.18.20.10")));
        assert!(!p.contains(ip("198.18.21.1")));
        assert!(!p.contains(ip("::1")));
        assert!("0.0.0.0/0".parse::<Prefix>().unwrap().is_default_like());
        assert!("128.0.0.0/1".parse::<Prefix>().unwrap().is_default_like());
        assert!("8000::/1".parse::<Prefix>().unwrap().is_default_like());
        assert!(!"10.0.0.0/8".parse::<Prefix>().unwrap().is_default_like());
        assert!(
            "fd00::/8"
                .parse::<Prefix>()
                .unwrap()
                .contains(ip("fd12::1"))
        );
        assert_eq!(
            "fe80::1%utun0/64".parse::<Prefix>().unwrap().to_string(),
            "fe80::1/64"
        );
    }
}
