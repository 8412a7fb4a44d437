//! `--shard I/N`: N workers scan disjoint slices of the account list. An account's shard depends
//! on its id and N alone, so the same account always lands in the same shard, whatever the other
//! accounts, the order they are listed in, or the machine.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (0-based, as AWS Batch numbers array jobs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    /// This worker's index, `0..count`.
    pub index: u32,
    /// How many workers share the accounts.
    pub count: u32,
}

impl Shard {
    /// A shard, checked.
    pub fn new(index: u32, count: u32) -> Result<Shard> {
        if count == 0 || index >= count {
            return Err(Error::Config(format!(
                "shard `{index}/{count}`: the index must be below the count, counting from 0 (e.g. 0/4 … 3/4)"
            )));
        }
        Ok(Shard { index, count })
    }

    /// The shard an account belongs to among `count` (FNV-1a over the id: stable everywhere).
    pub fn of(account: &str, count: u32) -> u32 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in account.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // `count` is at least 1 for every shard built by `new`.
        (h % u64::from(count.max(1))) as u32
    }

    /// Whether this shard scans the account.
    pub fn holds(&self, account: &str) -> bool {
        Shard::of(account, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Config(format!(
                "shard `{s}` is not INDEX/COUNT (e.g. 0/4, counting from 0)"
            ))
        };
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let i: u32 = i.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shards_parse_and_bad_ones_are_named() {
        assert_eq!(
            "1/4".parse::<Shard>().unwrap(),
            Shard { index: 1, count: 4 }
        );
        assert_eq!(Shard::new(0, 1).unwrap().to_string(), "0/1");
        for bad in ["4/4", "1/0", "x/2", "3", "-1/2", ""] {
            let e = bad.parse::<Shard>().unwrap_err().to_string();
            assert!(e.contains(&format!("`{bad}")), "{e}");
        }
    }

    #[test]
    fn the_assignment_is_fixed() {
        // Pinned: a change here would move accounts between the shards of running deployments.
        let got: Vec<u32> = ["111111111111", "222222222222", "123456789012"]
            .iter()
            .map(|a| Shard::of(a, 4))
            .collect();
        assert_eq!(got, vec![1, 1, 3]);
        assert_eq!(Shard::of("123456789012", 1), 0);
    }

    proptest! {
        #[test]
        fn every_account_is_in_exactly_one_shard(ids in proptest::collection::vec("[0-9]{12}", 0..60), n in 1u32..9) {
            for id in &ids {
                let holders = (0..n).filter(|i| Shard::new(*i, n).unwrap().holds(id)).count();
                prop_assert_eq!(holders, 1);
            }
        }
    }
}
