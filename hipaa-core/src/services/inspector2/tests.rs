//! Inspector rule tests, and the compliant status other tests start from.

use super::evidence::*;
use crate::evidence::Fact;
use crate::testkit::*;
use crate::vocabulary::Status::*;

const IDS: [&str; 3] = [
    "inspector2.ec2_scanning",
    "inspector2.ecr_scanning",
    "inspector2.lambda_scanning",
];

fn types(s: &mut crate::evidence::Snapshot) -> &mut ScanTypes {
    known(&mut at(&mut s.services.inspector2, "us-east-1").account)
}

#[test]
fn scan_types() {
    let mut s = snapshot_with(vec![]);
    for id in IDS {
        assert_eq!(statuses(&s, id), vec![Pass], "{id}");
    }
    types(&mut s).ec2 = Fact::Known("DISABLED".into());
    types(&mut s).ecr = Fact::Known("SUSPENDED".into());
    types(&mut s).lambda = denied("inspector2:BatchGetAccountStatus");
    assert_eq!(
        messages(&s, IDS[0]),
        vec![(Fail, "Inspector EC2 scanning is DISABLED".to_string())]
    );
    assert_eq!(statuses(&s, IDS[1]), vec![Fail]);
    assert_eq!(statuses(&s, IDS[2]), vec![Error]);
    // The whole read failed, or a scanned region has no evidence: ERROR, never PASS.
    at(&mut s.services.inspector2, "us-east-1").account = denied("inspector2:BatchGetAccountStatus");
    for id in IDS {
        assert_eq!(statuses(&s, id), vec![Error], "{id}");
    }
    let mut s = snapshot_with(vec![]);
    s.regions.push("us-west-2".into());
    for id in IDS {
        assert_eq!(statuses(&s, id), vec![Pass, Error], "{id}");
    }
    // No section (a build without the detection collectors): ERROR.
    let mut s = snapshot_with(vec![]);
    s.services.inspector2 = None;
    for id in IDS {
        assert_eq!(statuses(&s, id), vec![Error], "{id}");
    }
}

/// One region's status: every scan type enabled.
pub fn region_fixture() -> Inspector2Region {
    Inspector2Region {
        account: Fact::Known(ScanTypes {
            ec2: Fact::Known("ENABLED".into()),
            ecr: Fact::Known("ENABLED".into()),
            lambda: Fact::Known("ENABLED".into()),
        }),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<Inspector2Region> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
