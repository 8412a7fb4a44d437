//! The shape of a service's evidence: [`Regional`] for services read region by region, and the
//! region walk every regional rule uses, written once.

use super::{Fact, Snapshot, Unknown};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A regional service's evidence, keyed by region, so a region's absence can be told apart from
/// a region where nothing was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Regional<T>(pub BTreeMap<String, T>);

impl<T> Default for Regional<T> {
    fn default() -> Self {
        Regional(BTreeMap::new())
    }
}

impl<T> Regional<T> {
    /// One region's evidence, when it was collected.
    pub fn get(&self, region: &str) -> Option<&T> {
        self.0.get(region)
    }

    /// One region's evidence, for builders and tests.
    pub fn get_mut(&mut self, region: &str) -> Option<&mut T> {
        self.0.get_mut(region)
    }

    /// Record a region's evidence.
    pub fn insert(&mut self, region: impl Into<String>, evidence: T) {
        self.0.insert(region.into(), evidence);
    }

    /// Every collected region, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<T> FromIterator<(String, T)> for Regional<T> {
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        Regional(iter.into_iter().collect())
    }
}

/// One scanned region's evidence of a service, or why there is none.
#[derive(Debug)]
pub struct RegionEvidence<'a, T> {
    /// Region name.
    pub name: &'a str,
    /// The evidence, or the reason the region has none (disabled, never collected).
    pub data: Result<&'a T, Unknown>,
}

impl<T> Clone for RegionEvidence<'_, T> {
    fn clone(&self) -> Self {
        RegionEvidence {
            name: self.name,
            data: self.data.clone(),
        }
    }
}

impl<'a, T> RegionEvidence<'a, T> {
    /// One field of the region's evidence; a region without evidence makes every field unknown.
    pub fn get<U>(&self, field: impl FnOnce(&'a T) -> &'a Fact<U>) -> Result<&'a U, Unknown> {
        match &self.data {
            Ok(r) => field(r).get(),
            Err(u) => Err(u.clone()),
        }
    }
}

impl Snapshot {
    /// Every region with evidence in `section`, then every scanned region without any (its facts
    /// are unknown with the reason, never "nothing configured"). `what` names the evidence in
    /// the reason.
    pub fn walk<'a, T>(
        &'a self,
        section: &'a Regional<T>,
        what: &str,
    ) -> Vec<RegionEvidence<'a, T>> {
        let mut out: Vec<RegionEvidence<'a, T>> = section
            .iter()
            .map(|(name, data)| RegionEvidence {
                name,
                data: Ok(data),
            })
            .collect();
        for r in &self.regions {
            if section.get(r).is_none() {
                out.push(RegionEvidence {
                    name: r.as_str(),
                    data: Err(self.missing_region(r, what)),
                });
            }
        }
        out
    }
}

/// A data store a section lists: what the cross-service controls (classification, backup
/// coverage) need to know about it, whatever its service.
#[derive(Debug, Clone, PartialEq)]
pub struct Store {
    /// Its ARN.
    pub arn: String,
    /// Its tags (unknown when they could not be read).
    pub tags: Fact<super::Tags>,
    /// The region it lives in, when its ARN does not say (S3 buckets); unknown when that read
    /// failed, so a cross-service control cannot guess it from another listing.
    pub region: Option<super::Fact<String>>,
    /// Backed up with its cluster rather than on its own (Aurora, DocumentDB, Neptune instances).
    pub in_cluster: bool,
}

/// One listing of data stores (a service in a region, or a global service): the stores, or
/// why they could not be listed.
#[derive(Debug, Clone)]
pub struct StoreListing {
    /// The region, for regional services.
    pub region: Option<String>,
    /// The stores, or the failed read.
    pub stores: Result<Vec<Store>, Unknown>,
}

/// Implemented by every service section, so cross-service controls learn about new stores
/// from the service's own folder. Sections that hold no data keep the default.
pub trait Section {
    /// The data stores this section lists.
    fn stores(&self, _snapshot: &Snapshot) -> Vec<StoreListing> {
        Vec::new()
    }
}

/// The per-region part of a regional section.
pub trait RegionSection {
    /// Whether this service holds data (then a scanned region without evidence hides stores).
    const HOLDS_DATA: bool = false;
    /// The data stores of one region (`None`: this service holds no data).
    fn stores(&self) -> Option<Result<Vec<Store>, Unknown>> {
        None
    }
}

impl<T: RegionSection> Section for Regional<T> {
    fn stores(&self, snapshot: &Snapshot) -> Vec<StoreListing> {
        if !T::HOLDS_DATA {
            return Vec::new();
        }
        snapshot
            .walk(self, "data store")
            .into_iter()
            .filter_map(|r| {
                let stores = match r.data {
                    Ok(d) => d.stores()?,
                    Err(u) => Err(u),
                };
                Some(StoreListing {
                    region: Some(r.name.to_string()),
                    stores,
                })
            })
            .collect()
    }
}
