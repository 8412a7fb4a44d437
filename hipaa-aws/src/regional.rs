//! Per-region clients and the region loop every regional collector uses, written once.

use crate::scan::Scan;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::Regional;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

pub(crate) use crate::clients::client_in;

/// Clients of one kind per region, each built once (a resource's home region may lie outside
/// the scanned regions, so they are built on demand).
pub(crate) struct ClientCache<C> {
    make: Box<dyn Fn(&str) -> C + Send + Sync>,
    by_region: Mutex<HashMap<String, C>>,
}

impl<C: Clone> ClientCache<C> {
    pub(crate) fn new(make: impl Fn(&str) -> C + Send + Sync + 'static) -> Self {
        ClientCache {
            make: Box::new(make),
            by_region: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self, region: &str) -> C {
        match self.by_region.lock() {
            Ok(mut m) => m
                .entry(region.to_string())
                .or_insert_with(|| (self.make)(region))
                .clone(),
            Err(_) => (self.make)(region),
        }
    }
}

/// How many regions one collector reads at a time (the ledger bounds the calls in flight).
const REGIONS_AT_ONCE: usize = 4;

/// Read a regional service in every scanned region, a few regions at a time.
pub(crate) async fn each_region<T, Fut>(
    scan: &Scan<'_>,
    per_region: impl Fn(String) -> Fut,
) -> Regional<T>
where
    Fut: Future<Output = T>,
{
    // Each region's future is boxed: an SDK read's future is large in a debug build, and the
    // stream adapters would otherwise copy it through several stack frames of a worker thread.
    stream::iter(scan.regions.clone())
        .map(|r| {
            let f = per_region(r.clone());
            Box::pin(async move { (r, f.await) })
        })
        .buffered(REGIONS_AT_ONCE)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

/// Where the global services (Artifact, Organizations) answer: us-east-1, or the partition's
/// counterpart.
pub(crate) fn global_region(partition: &str) -> &'static str {
    match partition {
        "aws-us-gov" => "us-gov-west-1",
        "aws-cn" => "cn-northwest-1",
        _ => "us-east-1",
    }
}

/// Convert the SDK's timestamp to chrono.
pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::<chrono::Utc>::from_timestamp(t.secs(), t.subsec_nanos())
}
