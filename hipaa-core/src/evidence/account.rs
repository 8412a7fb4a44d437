//! Facts about the account itself rather than a service: which regions it can use.

use serde::{Deserialize, Serialize};

/// One region as EC2 `DescribeRegions` (with `AllRegions`) lists it for this account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRegion {
    /// Region name.
    pub name: String,
    /// Its opt-in status.
    pub opt_in: RegionOptIn,
}

/// Whether the account can use a region: only enabled regions can hold resources or answer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionOptIn {
    /// Enabled by default (`opt-in-not-required`).
    NotRequired,
    /// An opt-in region the account enabled (`opted-in`).
    OptedIn,
    /// An opt-in region the account has not enabled (`not-opted-in`).
    NotOptedIn,
    /// A status this build does not know, kept verbatim; never counted as enabled.
    Other(String),
}

impl RegionOptIn {
    /// Parse EC2's `OptInStatus`.
    pub fn parse(s: &str) -> RegionOptIn {
        match s {
            "opt-in-not-required" => RegionOptIn::NotRequired,
            "opted-in" => RegionOptIn::OptedIn,
            "not-opted-in" => RegionOptIn::NotOptedIn,
            other => RegionOptIn::Other(other.to_string()),
        }
    }

    /// EC2's own word for it.
    pub fn as_str(&self) -> &str {
        match self {
            RegionOptIn::NotRequired => "opt-in-not-required",
            RegionOptIn::OptedIn => "opted-in",
            RegionOptIn::NotOptedIn => "not-opted-in",
            RegionOptIn::Other(s) => s,
        }
    }

    /// Whether the account can use the region.
    pub fn enabled(&self) -> bool {
        matches!(self, RegionOptIn::NotRequired | RegionOptIn::OptedIn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opt_in_status_round_trips_and_only_enabled_ones_count() {
        for s in [
            "opt-in-not-required",
            "opted-in",
            "not-opted-in",
            "in-transition",
        ] {
            assert_eq!(RegionOptIn::parse(s).as_str(), s);
        }
        assert!(RegionOptIn::parse("opt-in-not-required").enabled());
        assert!(RegionOptIn::parse("opted-in").enabled());
        assert!(!RegionOptIn::parse("not-opted-in").enabled());
        assert!(!RegionOptIn::parse("in-transition").enabled());
    }
}
