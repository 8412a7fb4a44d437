//! GuardDuty rule tests, and the compliant detector other tests start from.

use super::evidence::*;
use crate::evidence::Fact;
use crate::testkit::*;
use crate::vocabulary::Status::*;

#[test]
fn guardduty() {
    let id = "guardduty.enabled";
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, id), vec![Pass]);
    at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![Detector {
        id: "d1".into(),
        status: Fact::Known("DISABLED".into()),
        features: Fact::Known(all_plans()),
    }]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![Detector {
        id: "d1".into(),
        status: denied("guardduty:GetDetector"),
        features: denied("guardduty:GetDetector"),
    }]);
    assert_eq!(statuses(&s, id), vec![Error]);
    at(&mut s.services.guardduty, "us-east-1").detectors = denied("guardduty:ListDetectors");
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn protection_plans() {
    let id = "guardduty.protection_plans";
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, id), vec![Pass]);
    // RDS off, Runtime not reported (an older detector or a region without it).
    detector(&mut s).features = Fact::Known(
        all_plans()
            .into_iter()
            .filter(|f| f.name != "RUNTIME_MONITORING")
            .map(|mut f| {
                if f.name == "RDS_LOGIN_EVENTS" {
                    f.status = "DISABLED".into();
                }
                f
            })
            .collect(),
    );
    assert_eq!(
        messages(&s, id),
        vec![(Fail, "detector `d1` has RDS, Runtime (not reported) off".to_string())]
    );
    detector(&mut s).features = denied("guardduty:GetDetector");
    assert_eq!(statuses(&s, id), vec![Error]);
    detector(&mut s).status = Fact::Known("DISABLED".into());
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.guardduty, "us-east-1").detectors = denied("guardduty:ListDetectors");
    assert_eq!(statuses(&s, id), vec![Error]);
    // A scanned region without evidence is ERROR, never PASS.
    let mut s = snapshot_with(vec![]);
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, id), vec![Pass, Error]);
}

fn detector(s: &mut crate::evidence::Snapshot) -> &mut Detector {
    &mut known(&mut at(&mut s.services.guardduty, "us-east-1").detectors)[0]
}

/// Every protection plan, on.
pub fn all_plans() -> Vec<DetectorFeature> {
    [
        "S3_DATA_EVENTS",
        "EKS_AUDIT_LOGS",
        "RDS_LOGIN_EVENTS",
        "EBS_MALWARE_PROTECTION",
        "RUNTIME_MONITORING",
        "LAMBDA_NETWORK_LOGS",
    ]
    .into_iter()
    .map(|n| DetectorFeature {
        name: n.into(),
        status: "ENABLED".into(),
    })
    .collect()
}

/// One region's detectors: `d1`, enabled.
pub fn region_fixture() -> GuardDutyRegion {
    GuardDutyRegion {
        detectors: Fact::Known(vec![Detector {
            id: "d1".into(),
            status: Fact::Known("ENABLED".into()),
            features: Fact::Known(all_plans()),
        }]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<GuardDutyRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
