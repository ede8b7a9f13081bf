//! Address ranges (CIDR) of trusted proxies: only a request that reached us from one of
//! them may tell us, in `X-Forwarded-For`, who the client was.

use std::net::IpAddr;
use std::str::FromStr;

/// One address range, e.g. `10.0.0.0/8` or `fd00::/8` (a bare address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, bits) = s.split_once('/').unwrap_or((s, ""));
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address range (a.b.c.d/n or x::/n)"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = if bits.is_empty() {
            max
        } else {
            bits.parse::<u8>()
                .ok()
                .filter(|b| *b <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0-{max}"))?
        };
        Ok(Self { net, bits })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.bits))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// The trusted proxies of a deployment.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn parse(list: &[String]) -> anyhow::Result<Self> {
        list.iter()
            .map(|s| {
                s.parse::<Cidr>()
                    .map_err(|e| anyhow::anyhow!("gateway.trusted_proxies: {e}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map(Self)
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client behind `peer`: when `peer` is a trusted proxy, the right-most address of
    /// `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends what it saw;
    /// anything left of the first untrusted hop is the client's to make up).
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let Some(list) = forwarded_for else {
            return peer;
        };
        let mut last = peer;
        for hop in list.rsplit(',').map(str::trim) {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                return last;
            };
            if !self.trusts(ip) {
                return ip;
            }
            last = ip;
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn ranges_contain_their_addresses() {
        let c: Cidr = "10.0.0.0/8".parse().expect("cidr");
        assert!(c.contains(ip("10.200.1.2")) && !c.contains(ip("11.0.0.1")));
        assert!(
            c.contains(ip("::ffff:10.1.1.1")),
            "v4-mapped v6 counts as v4"
        );
        let one: Cidr = "192.0.2.7".parse().expect("bare address");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "fd00::/8".parse().expect("v6");
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(
            "0.0.0.0/0"
                .parse::<Cidr>()
                .expect("all")
                .contains(ip("8.8.8.8"))
        );
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("ingress".parse::<Cidr>().is_err());
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let t = TrustedProxies::parse(&["10.0.0.0/8".into()]).expect("list");
        let xff = Some("6.6.6.6, 203.0.113.7, 10.1.1.1");
        assert_eq!(
            t.client(ip("10.2.2.2"), xff),
            ip("203.0.113.7"),
            "the first hop left of our proxies"
        );
        assert_eq!(
            t.client(ip("198.51.100.9"), xff),
            ip("198.51.100.9"),
            "an untrusted peer's header is ignored"
        );
        assert_eq!(t.client(ip("10.2.2.2"), None), ip("10.2.2.2"));
        assert_eq!(t.client(ip("10.2.2.2"), Some("garbage")), ip("10.2.2.2"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.2.2.2"), xff),
            ip("10.2.2.2")
        );
    }
}
