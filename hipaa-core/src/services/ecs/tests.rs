//! ECS rule tests, and the compliant task definition other tests start from.

use super::evidence::*;
use crate::aws::secret_names::EnvVar;
use crate::evidence::{Fact, Snapshot};
use crate::testkit::*;
use crate::vocabulary::Status::*;

const SECRETS: &str = "ecs.no_env_secrets";
const PRIVILEGED: &str = "ecs.no_privileged";
const READONLY: &str = "ecs.readonly_root_fs";
const LOGGING: &str = "ecs.logging";
const ALL: [&str; 4] = [SECRETS, PRIVILEGED, READONLY, LOGGING];

fn task(s: &mut Snapshot) -> &mut TaskDefinition {
    &mut known(&mut at(&mut s.services.ecs, "us-east-1").task_definitions)[0]
}

fn containers(s: &mut Snapshot) -> &mut Vec<Container> {
    known(&mut task(s).containers)
}

fn container(name: &str) -> Container {
    Container {
        name: name.into(),
        privileged: Some(false),
        readonly_root_filesystem: Some(true),
        log_driver: Some("awslogs".into()),
        environment: vec![EnvVar {
            name: "TABLE_NAME".into(),
            has_value: true,
            secret_reference: false,
        }],
    }
}

#[test]
fn the_compliant_task_definition_passes() {
    let s = base();
    let o = only(&s, SECRETS, Pass);
    assert_eq!(o.resource.kind, "AwsEcsTaskDefinition");
    assert_eq!(o.resource.id, "claims-worker:7");
    assert_eq!(o.resource.phi, Some(true));
    assert!(only(&s, PRIVILEGED, Pass).message.contains("none of its 2"));
    only(&s, READONLY, Pass);
    assert!(only(&s, LOGGING, Pass).message.contains("awsfirelens, awslogs"));
}

#[test]
fn credentials_in_the_environment() {
    let mut s = base();
    containers(&mut s)[1].environment.push(EnvVar {
        name: "STRIPE_API_KEY".into(),
        has_value: true,
        secret_reference: false,
    });
    let m = only(&s, SECRETS, Fail).message;
    assert!(m.contains("`log-router/STRIPE_API_KEY`"), "{m}");
    // An ARN in the value is a pointer, not the key.
    containers(&mut s)[1].environment[1].secret_reference = true;
    only(&s, SECRETS, Pass);
}

#[test]
fn privileged_writable_and_silent_containers() {
    let mut s = base();
    containers(&mut s)[0].privileged = Some(true);
    assert!(only(&s, PRIVILEGED, Fail).message.contains("`app` runs privileged"));
    // Not set is not privileged, and not read-only.
    containers(&mut s)[0].privileged = None;
    only(&s, PRIVILEGED, Pass);
    containers(&mut s)[1].readonly_root_filesystem = None;
    assert!(only(&s, READONLY, Fail).message.contains("`log-router`"));
    containers(&mut s)[0].log_driver = None;
    assert!(only(&s, LOGGING, Fail).message.contains("`app` has no log"));
}

#[test]
fn an_unreadable_task_definition_is_error() {
    let mut s = base();
    task(&mut s).containers = denied("ecs:DescribeTaskDefinition");
    task(&mut s).tags = denied("ecs:DescribeTaskDefinition");
    for id in ALL {
        let o = only(&s, id, Error);
        assert_eq!(o.resource.id, "claims-worker:7", "{id}");
        assert_eq!(o.resource.phi, None, "{id}");
    }
}

#[test]
fn unreadable_or_empty_listings() {
    let mut s = base();
    at(&mut s.services.ecs, "us-east-1").task_definitions = denied("ecs:ListTaskDefinitions");
    for id in ALL {
        assert_eq!(only(&s, id, Error).resource.kind, "AwsAccountRegion");
    }
    at(&mut s.services.ecs, "us-east-1").task_definitions = Fact::Known(vec![]);
    for id in ALL {
        assert!(only(&s, id, NotApplicable)
            .message
            .contains("no ECS task definitions found"));
    }
    s.services.ecs = None;
    for id in ALL {
        only(&s, id, Error);
    }
}

/// The compliant section: revision 7 of the PHI-tagged family `claims-worker`, an application
/// container and a FireLens log router, both unprivileged, read-only and logging.
pub fn fixture() -> crate::evidence::Regional<EcsRegion> {
    let mut router = container("log-router");
    router.log_driver = Some("awsfirelens".into());
    [(
        "us-east-1".to_string(),
        EcsRegion {
            task_definitions: Fact::Known(vec![TaskDefinition {
                arn: format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/claims-worker:7"),
                family: "claims-worker".into(),
                revision: 7,
                tags: Fact::Known(phi_tags()),
                containers: Fact::Known(vec![container("app"), router]),
            }]),
        },
    )]
    .into_iter()
    .collect()
}
