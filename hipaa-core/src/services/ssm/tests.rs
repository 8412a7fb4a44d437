//! Systems Manager rule tests, and the compliant nodes other tests start from.

use super::evidence::*;
use crate::evidence::{Fact, Snapshot};
use crate::services::ec2::evidence::Instance;
use crate::testkit::*;
use crate::vocabulary::Status::*;

fn instance(id: &str, state: &str) -> Instance {
    let mut tags = phi_tags();
    tags.insert("Name".into(), format!("{id}-name"));
    Instance {
        id: id.into(),
        vpc_id: Some("vpc-1".into()),
        state: Some(state.into()),
        tags,
        http_tokens: Some("required".into()),
        public_ip: None,
    }
}

/// The fixture plus running instance `i-1` in the EC2 section.
fn with_instance() -> Snapshot {
    let mut s = snapshot_with(vec![]);
    at(&mut s.services.ec2, "us-east-1").instances = Fact::Known(vec![instance("i-1", "running")]);
    s
}

fn ssm(s: &mut Snapshot) -> &mut SsmRegion {
    at(&mut s.services.ssm, "us-east-1")
}

#[test]
fn instances_managed() {
    let id = "ssm.instances_managed";
    let mut s = with_instance();
    let o = outcomes(&s, id);
    assert_eq!(o[0].status, Pass);
    assert_eq!(o[0].resource.name.as_deref(), Some("i-1-name"));
    assert_eq!(o[0].resource.phi, Some(true));
    // Registered but the agent is not online; not registered at all.
    known(&mut ssm(&mut s).managed_instances)[0].ping_status = "ConnectionLost".into();
    assert_eq!(
        messages(&s, id),
        vec![(Fail, "registered with Systems Manager but the agent is ConnectionLost".to_string())]
    );
    ssm(&mut s).managed_instances = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    // Stopped instances are not judged.
    at(&mut s.services.ec2, "us-east-1").instances = Fact::Known(vec![instance("i-1", "stopped")]);
    assert_eq!(statuses(&s, id), vec![NotApplicable]);
    // Either listing failed: ERROR.
    let mut s = with_instance();
    ssm(&mut s).managed_instances = denied("ssm:DescribeInstanceInformation");
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = with_instance();
    at(&mut s.services.ec2, "us-east-1").instances = denied("ec2:DescribeInstances");
    assert_eq!(statuses(&s, id), vec![Error]);
    // An EC2 region without SSM evidence, or no SSM section at all.
    let mut s = with_instance();
    s.services.ssm = Some(Default::default());
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = with_instance();
    s.services.ssm = None;
    assert_eq!(statuses(&s, id), vec![Error]);
}

#[test]
fn patch_compliance() {
    let id = "ssm.patch_compliance";
    let mut s = with_instance();
    let o = outcomes(&s, id);
    assert_eq!(o[0].status, Pass);
    // The EC2 section names and marks it.
    assert_eq!(o[0].resource.name.as_deref(), Some("i-1-name"));
    assert_eq!(o[0].resource.phi, Some(true));
    let state = &mut known(&mut ssm(&mut s).patch_states)[0];
    state.missing = 5;
    state.critical_non_compliant = Some(2);
    state.security_non_compliant = Some(4);
    state.failed = 1;
    assert_eq!(
        messages(&s, id),
        vec![(
            Fail,
            "NON_COMPLIANT for patches: 5 missing (2 critical, 4 security), 1 failed".to_string()
        )]
    );
    // Counts the answer left out are said to be unreported, never zero.
    let state = &mut known(&mut ssm(&mut s).patch_states)[0];
    state.critical_non_compliant = None;
    state.failed = 0;
    assert_eq!(
        messages(&s, id),
        vec![(
            Fail,
            "NON_COMPLIANT for patches: 5 missing (an unreported number of critical, 4 security)"
                .to_string()
        )]
    );
    // Installed but waiting for a reboot is not compliant either.
    let state = &mut known(&mut ssm(&mut s).patch_states)[0];
    state.missing = 0;
    state.installed_pending_reboot = Some(1);
    assert_eq!(statuses(&s, id), vec![Fail]);
    // Never scanned.
    ssm(&mut s).patch_states = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![Fail]);
    ssm(&mut s).patch_states = denied("ssm:DescribeInstancePatchStates");
    assert_eq!(statuses(&s, id), vec![Error]);
    // A hybrid node is judged as itself.
    let mut s = with_instance();
    known(&mut ssm(&mut s).managed_instances)[0].id = "mi-0abc".into();
    known(&mut ssm(&mut s).patch_states)[0].instance_id = "mi-0abc".into();
    let o = outcomes(&s, id);
    assert_eq!((o[0].status, o[0].resource.kind.as_str()), (Pass, "AwsSsmManagedInstance"));
    // Nothing managed, listing failed, region without evidence.
    let mut s = with_instance();
    ssm(&mut s).managed_instances = Fact::Known(vec![]);
    assert_eq!(statuses(&s, id), vec![NotApplicable]);
    ssm(&mut s).managed_instances = denied("ssm:DescribeInstanceInformation");
    assert_eq!(statuses(&s, id), vec![Error]);
    let mut s = with_instance();
    s.regions.push("us-west-2".into());
    assert_eq!(statuses(&s, id), vec![Pass, Error]);
}

/// One region's nodes: `i-1`, online and compliant.
pub fn region_fixture() -> SsmRegion {
    SsmRegion {
        managed_instances: Fact::Known(vec![ManagedInstance {
            id: "i-1".into(),
            ping_status: "Online".into(),
        }]),
        patch_states: Fact::Known(vec![PatchState {
            instance_id: "i-1".into(),
            missing: 0,
            failed: 0,
            installed_pending_reboot: Some(0),
            installed_rejected: Some(0),
            critical_non_compliant: Some(0),
            security_non_compliant: Some(0),
        }]),
    }
}

/// The compliant section in us-east-1.
pub fn fixture() -> crate::evidence::Regional<SsmRegion> {
    [("us-east-1".to_string(), region_fixture())]
        .into_iter()
        .collect()
}
