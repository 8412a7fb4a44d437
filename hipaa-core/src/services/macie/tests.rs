//! Macie rule tests, and the compliant session other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const ID: &str = "macie.enabled";

/// The fixture with PHI bucket `phi` in us-east-1.
fn with_phi_bucket() -> Snapshot {
    snapshot_with(vec![bucket("phi")])
}

#[test]
fn enabled_where_phi_lives() {
    let mut s = with_phi_bucket();
    assert_eq!(
        messages(&s, ID),
        vec![(
            Pass,
            "Macie is enabled where 1 PHI-tagged bucket(s) live".to_string()
        )]
    );
    // Macie's own "not enabled" answer is a FAIL; a paused account too.
    at(&mut s.services.macie, "us-east-1").session = Fact::Known(None);
    assert_eq!(statuses(&s, ID), vec![Fail]);
    at(&mut s.services.macie, "us-east-1").session = Fact::Known(Some(MacieSession {
        status: "PAUSED".into(),
    }));
    assert_eq!(statuses(&s, ID), vec![Fail]);
    // Anything else that stops the read is ERROR.
    at(&mut s.services.macie, "us-east-1").session = denied("macie2:GetMacieSession");
    assert_eq!(statuses(&s, ID), vec![Error]);
}

#[test]
fn only_regions_with_phi_buckets_are_judged() {
    // No PHI bucket anywhere.
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, ID), vec![NotApplicable]);
    let mut b = bucket("public");
    b.tags = Fact::Known(Default::default());
    s = snapshot_with(vec![b]);
    at(&mut s.services.macie, "us-east-1").session = Fact::Known(None);
    assert_eq!(statuses(&s, ID), vec![NotApplicable]);
    // A PHI bucket in a region whose Macie was never read (outside the scan): ERROR.
    let mut b = bucket("eu");
    b.region = Fact::Known("eu-west-1".into());
    let s = snapshot_with(vec![b]);
    assert_eq!(statuses(&s, ID), vec![Error]);
    // Buckets that cannot be listed, or whose tags or region are unknown: ERROR, never N/A.
    let mut s = with_phi_bucket();
    sect(&mut s.services.s3).buckets = denied("s3:ListBuckets");
    assert_eq!(statuses(&s, ID), vec![Error]);
    let mut b = bucket("untagged");
    b.tags = denied("s3:GetBucketTagging");
    assert_eq!(statuses(&snapshot_with(vec![b]), ID), vec![Error]);
    let mut b = bucket("unplaced");
    b.region = denied("s3:GetBucketLocation");
    assert_eq!(statuses(&snapshot_with(vec![b]), ID), vec![Error]);
    // No Macie section (a build without the detection collectors).
    let mut s = with_phi_bucket();
    s.services.macie = None;
    assert_eq!(statuses(&s, ID), vec![Error]);
}

/// One region's session: enabled.
pub fn region_fixture() -> MacieRegion {
    MacieRegion {
        session: Fact::Known(Some(MacieSession {
            status: "ENABLED".into(),
        })),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<MacieRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
