//! The report's interfaces from what netdev reads (names, flags, addresses; never a hardware
//! address), and which of them hold a default route. Shared by the per-OS readers.

use super::types::RouteEntry;
use crate::report::model::{Interface, InterfaceKind};

/// Converts netdev's interfaces to the report's, with no MAC address. `kind_hint` may override
/// the kind (Linux sysfs type, for example).
pub(super) fn from_netdev(
    ifs: &[netdev::Interface],
    kind_hint: impl Fn(&netdev::Interface) -> Option<InterfaceKind>,
) -> Vec<Interface> {
    use netdev::interface::types::InterfaceType as T;
    let mut ifs: Vec<&netdev::Interface> = ifs.iter().collect();
    ifs.sort_by_key(|i| i.index);
    ifs.into_iter()
        .map(|i| {
            let kind = kind_hint(i).unwrap_or(match i.if_type {
                T::Loopback => InterfaceKind::Loopback,
                T::Wireless80211 => InterfaceKind::Wifi,
                T::Ppp => InterfaceKind::Ppp,
                T::Tunnel => InterfaceKind::Tunnel,
                T::Ethernet | T::GigabitEthernet | T::FastEthernetT | T::FastEthernetFx => {
                    InterfaceKind::Ethernet
                }
                _ if i.is_loopback() => InterfaceKind::Loopback,
                _ => InterfaceKind::Other,
            });
            let mut addresses: Vec<String> = i
                .ipv4
                .iter()
                .map(|n| format!("{}/{}", n.addr(), n.prefix_len()))
                .collect();
            addresses.extend(
                i.ipv6
                    .iter()
                    .map(|n| format!("{}/{}", n.addr(), n.prefix_len())),
            );
            Interface {
                // Windows: netdev's `name` is the adapter GUID; people know the friendly name.
                name: if std::env::consts::OS == "windows" {
                    i.friendly_name.clone().unwrap_or_else(|| i.name.clone())
                } else {
                    i.name.clone()
                },
                description: i.description.clone(),
                kind,
                up: i.is_up() && i.oper_state != netdev::interface::state::OperState::Down,
                point_to_point: i.is_point_to_point(),
                addresses,
                default_route: i.default,
            }
        })
        .collect()
}

/// Sets `default_route` on every interface that holds a default(-like) route.
pub fn mark_default_routes(interfaces: &mut [Interface], routes: &[RouteEntry]) {
    for i in interfaces.iter_mut() {
        if routes
            .iter()
            .any(|r| r.interface == i.name && r.destination.is_default_like())
        {
            i.default_route = true;
        }
    }
}
