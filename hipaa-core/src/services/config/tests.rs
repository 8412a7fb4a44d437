//! AWS Config rule tests, and the compliant recorder other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn set_recorder(s: &mut Snapshot, f: impl FnOnce(&mut ConfigRecorder)) {
    if let Fact::Known(v) = &mut at(&mut s.services.config, "us-east-1").recorders {
        f(&mut v[0]);
    }
}

#[test]
fn config_recorder() {
    let id = "config.recorder";
    let mut s = snapshot_with(vec![]);
    assert_eq!(statuses(&s, id), vec![Pass]);
    set_recorder(&mut s, |r| r.recording = Fact::Known(false));
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("stopped"), "{m}");
    let mut s = snapshot_with(vec![]);
    set_recorder(&mut s, |r| r.all_supported = false);
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("selected resource types"), "{m}");
    at(&mut s.services.config, "us-east-1").recorders = Fact::Known(vec![]);
    let (st, m) = only_message(&s, id);
    assert_eq!(st, Fail);
    assert!(m.contains("no AWS Config"), "{m}");
    at(&mut s.services.config, "us-east-1").recorders = denied("config:DescribeConfigurationRecorders");
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = snapshot_with(vec![]);
    set_recorder(&mut s, |r| {
        r.recording = denied("config:DescribeConfigurationRecorderStatus")
    });
    assert_eq!(statuses(&s, id), vec![Error]);
    // A partial recorder fails whether or not its status could be read.
    set_recorder(&mut s, |r| r.all_supported = false);
    assert_eq!(statuses(&s, id), vec![Fail]);
}

/// One region's recorders: `default`, recording everything.
pub fn region_fixture() -> ConfigRegion {
    ConfigRegion {
        recorders: Fact::Known(vec![ConfigRecorder {
            name: "default".into(),
            all_supported: true,
            include_global: true,
            recording: Fact::Known(true),
        }]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<ConfigRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
