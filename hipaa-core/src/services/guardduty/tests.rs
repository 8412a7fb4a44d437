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
    }]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![Detector {
        id: "d1".into(),
        status: denied("guardduty:GetDetector"),
    }]);
    assert_eq!(statuses(&s, id), vec![Error]);
    at(&mut s.services.guardduty, "us-east-1").detectors = denied("guardduty:ListDetectors");
    assert_eq!(statuses(&s, id), vec![Error]);
}

/// One region's detectors: `d1`, enabled.
pub fn region_fixture() -> GuardDutyRegion {
    GuardDutyRegion {
        detectors: Fact::Known(vec![Detector {
            id: "d1".into(),
            status: Fact::Known("ENABLED".into()),
        }]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<GuardDutyRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
