//! The address guard against server-side request forgery (SSRF).
//!
//! A server that fetches URLs its users give it must not be turned against
//! its own network: the cloud metadata service at 169.254.169.254, a
//! database on 10.0.0.5, an admin page on localhost. With
//! [`Addresses::PublicOnly`], every connection's address is checked after
//! name resolution, in the resolver the HTTP client connects through, so
//! redirects, IP literals (`http://[::ffff:127.0.0.1]/`, `http://2130706433/`
//! after URL parsing) and names that resolve to private addresses (DNS
//! rebinding included: the checked addresses are the ones connected to) are
//! all caught. [`Addresses::LoopbackOnly`] is the same guard turned the
//! other way: only this machine's loopback addresses, for a server under
//! test that must reach nothing else, whatever URLs it is given.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Which addresses may be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addresses {
    /// Any address, loopback and private networks included (the command
    /// line: the user fetches what they ask for).
    Any,
    /// Public addresses only (a server fetching URLs its users give it).
    /// Loopback, private, link-local, shared (CGNAT), multicast,
    /// documentation and other special-purpose addresses are refused,
    /// except for the host names (or IP literals) listed in `allow_hosts`.
    PublicOnly { allow_hosts: Vec<String> },
    /// Loopback addresses only (127.0.0.0/8, `::1` and `::ffff:127.0.0.0/104`):
    /// every other address is refused, public ones included, so that
    /// nothing outside the machine is reached (a server under test, fed
    /// generated URLs).
    LoopbackOnly,
}

impl Addresses {
    /// Whether the addresses connected to are checked (anything but
    /// [`Addresses::Any`]).
    pub fn is_guarded(&self) -> bool {
        !matches!(self, Addresses::Any)
    }
}

/// Why an address was refused; carried through the HTTP client inside an
/// `io::Error` and turned into [`crate::FetchError::Refused`].
#[derive(Debug, Clone)]
pub(crate) struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// Why a host name gave no address; carried like a [`Refusal`] and turned
/// into [`crate::FetchError::UnknownHost`].
#[derive(Debug, Clone)]
pub(crate) struct Unresolved(pub String);

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unresolved {}

/// Whether an address is on the public internet. Special-purpose ranges
/// (IANA registries for IPv4 and IPv6) are not.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                   // "this network"
        || a == 10                             // private
        || a == 127                            // loopback
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254)              // link-local (cloud metadata)
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && c == 0)      // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)      // documentation
        || (a == 192 && b == 88 && c == 99)    // 6to4 relay anycast
        || (a == 192 && b == 168)              // private
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || (a == 198 && b == 51 && c == 100)   // documentation
        || (a == 203 && b == 0 && c == 113)    // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // IPv4-compatible (deprecated) ::a.b.c.d, and ::, ::1.
    if s[..6].iter().all(|x| *x == 0) {
        return false;
    }
    !((s[0] & 0xfe00) == 0xfc00             // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80        // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0        // site-local (deprecated)
        || (s[0] & 0xff00) == 0xff00        // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64 (embeds IPv4)
        || s[0] == 0x2002                  // 6to4 (embeds IPv4)
        || (s[0] == 0x2001 && s[1] < 0x0200) // IETF protocol assignments (Teredo…)
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0])) // discard-only
}

/// Whether an address is this machine's loopback: 127.0.0.0/8, `::1`, or
/// an IPv4 loopback address mapped into IPv6.
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

fn unresolved(reason: String) -> ureq::Error {
    ureq::Error::Io(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        Unresolved(reason),
    ))
}

fn refuse(reason: String) -> ureq::Error {
    ureq::Error::Io(std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        Refusal(reason),
    ))
}

/// Resolves names like the HTTP client's default resolver, then refuses
/// the addresses the policy does not allow.
#[derive(Debug)]
pub(crate) struct GuardedResolver {
    pub addresses: Arc<Addresses>,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if *self.addresses == Addresses::LoopbackOnly
            && bare.parse::<IpAddr>().is_err()
            && !bare.eq_ignore_ascii_case("localhost")
        {
            // A name is not even looked up: a DNS query would leave the
            // machine too.
            return Err(refuse(format!(
                "{host} is not an IP address or localhost (this server fetches loopback addresses only)"
            )));
        }
        let resolved = match DefaultResolver::default().resolve(uri, config, timeout) {
            Ok(resolved) => resolved,
            Err(ureq::Error::HostNotFound) => {
                return Err(unresolved(format!("{host} has no address")));
            }
            Err(ureq::Error::Io(e))
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
                ) =>
            {
                return Err(unresolved(format!("{host} does not resolve ({e})")));
            }
            Err(e) => return Err(e),
        };
        let allow_hosts = match &*self.addresses {
            Addresses::Any => return Ok(resolved),
            Addresses::LoopbackOnly => {
                // Every address must be loopback: one that is not is
                // refused, whatever else the name resolves to.
                if let Some(other) = resolved.iter().find(|a| !is_loopback(a.ip())) {
                    return Err(refuse(format!(
                        "{host} resolves to {}, not a loopback address (this server fetches loopback addresses only)",
                        other.ip()
                    )));
                }
                return Ok(resolved);
            }
            Addresses::PublicOnly { allow_hosts } => allow_hosts,
        };
        if allow_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host) || h.eq_ignore_ascii_case(bare))
        {
            return Ok(resolved);
        }
        let blocked: Vec<SocketAddr> = resolved
            .iter()
            .filter(|a| !is_public(a.ip()))
            .copied()
            .collect();
        if let Some(first) = blocked.first() {
            // One private address is enough to refuse: connecting to "the
            // public one" would leave the choice to an attacker's DNS.
            return Err(refuse(format!(
                "{host} resolves to {}, not a public address (fetching private, loopback and link-local addresses is off)",
                first.ip()
            )));
        }
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().unwrap())
    }

    #[test]
    fn special_purpose_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.10",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
            "2001:db8::1",
        ] {
            assert!(!public(ip), "{ip} must not be public");
        }
    }

    #[test]
    fn loopback_is_127_8_and_ipv6_one_and_nothing_else() {
        for ip in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip.parse().unwrap()), "{ip} is loopback");
        }
        for ip in [
            "93.184.216.34",
            "10.0.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "::",
            "::127.0.0.1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "2606:4700::1111",
        ] {
            assert!(!is_loopback(ip.parse().unwrap()), "{ip} is not loopback");
        }
    }

    #[test]
    fn ordinary_addresses_are_public() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "172.15.0.1",
            "172.32.0.1",
            "100.63.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:93.184.216.34",
        ] {
            assert!(public(ip), "{ip} is public");
        }
    }
}
