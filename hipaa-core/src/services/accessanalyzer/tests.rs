//! Access Analyzer rule tests, and the compliant analyzer other tests start from.

use super::evidence::*;
use crate::evidence::Fact;
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ID: &str = "accessanalyzer.enabled";

fn analyzer(name: &str, kind: &str, status: &str) -> Analyzer {
    Analyzer {
        name: name.into(),
        arn: format!("arn:aws:access-analyzer:us-east-1:{ACCOUNT}:analyzer/{name}"),
        kind: kind.into(),
        status: status.into(),
    }
}

#[test]
fn analyzer_per_region() {
    let mut s = snapshot_with(vec![]);
    assert_eq!(
        messages(&s, ID),
        vec![(Pass, "account analyzer `account` is active".to_string())]
    );
    // Only an unused-access analyzer: it finds no external access.
    at(&mut s.services.accessanalyzer, "us-east-1").analyzers =
        Fact::Known(vec![analyzer("unused", "ACCOUNT_UNUSED_ACCESS", "ACTIVE")]);
    assert_eq!(
        messages(&s, ID),
        vec![(Fail, "no account or organization analyzer in this region".to_string())]
    );
    at(&mut s.services.accessanalyzer, "us-east-1").analyzers =
        Fact::Known(vec![analyzer("org", "ORGANIZATION", "FAILED")]);
    assert_eq!(
        messages(&s, ID),
        vec![(Fail, "no active external-access analyzer: `org` is FAILED".to_string())]
    );
    at(&mut s.services.accessanalyzer, "us-east-1").analyzers = Fact::Known(vec![]);
    assert_eq!(statuses(&s, ID), vec![Fail]);
    at(&mut s.services.accessanalyzer, "us-east-1").analyzers =
        denied("access-analyzer:ListAnalyzers");
    assert_eq!(statuses(&s, ID), vec![Error]);
    // A scanned region without evidence; no section at all.
    let mut s = snapshot_with(vec![]);
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, ID), vec![Pass, Error]);
    s.services.accessanalyzer = None;
    assert_eq!(statuses(&s, ID), vec![Error]);
}

/// One region's analyzers: an active account analyzer.
pub fn region_fixture() -> AccessAnalyzerRegion {
    AccessAnalyzerRegion {
        analyzers: Fact::Known(vec![analyzer("account", "ACCOUNT", "ACTIVE")]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<AccessAnalyzerRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
