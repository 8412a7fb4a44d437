//! Amazon ECS, per region: the latest ACTIVE revision of each task definition family
//! (`ListTaskDefinitions`, then `DescribeTaskDefinition` with its tags). The description returns
//! environment variable values: they are reduced to names on the spot (`crate::env_vars`) and
//! never stored, logged or reported. Clusters, services and running tasks are not read. Without
//! the `workloads` feature nothing is read and the section is absent.

use crate::scan::Scan;
use hipaa_core::evidence::Regional;
use hipaa_core::services::ecs::evidence::EcsRegion;

#[cfg(not(feature = "workloads"))]
pub(crate) async fn collect(_scan: &Scan<'_>) -> Option<Regional<EcsRegion>> {
    None
}

#[cfg(feature = "workloads")]
pub(crate) use with_sdk::collect;

#[cfg(feature = "workloads")]
mod with_sdk {
    use super::*;
    use crate::env_vars::keep_name;
    use crate::ledger::Ledger;
    use crate::regional::{client_in, each_region};
    use aws_sdk_ecs::types::{ContainerDefinition, TaskDefinitionField, TaskDefinitionStatus};
    use futures::stream::{self, StreamExt};
    use hipaa_core::evidence::{Fact, Tags, Unknown};
    use hipaa_core::services::ecs::evidence::{Container, TaskDefinition};
    use std::collections::BTreeMap;

    const STAGE: &str = "ecs";
    const DESCRIBE: &str = "ecs:DescribeTaskDefinition";

    pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<EcsRegion>> {
        Some(
            each_region(scan, |region| async move {
                let l = &scan.ledger;
                l.plan(1, STAGE);
                let client = client_in!(aws_sdk_ecs, &scan.config, region);
                let task_definitions = task_definitions(l, &client, &region).await;
                l.tick(STAGE);
                EcsRegion {
                    task_definitions: task_definitions.into(),
                }
            })
            .await,
        )
    }

    /// `…:task-definition/FAMILY:REVISION` as (family, revision).
    fn family_and_revision(arn: &str) -> Option<(&str, i64)> {
        let (_, tail) = arn.split_once(":task-definition/")?;
        let (family, revision) = tail.rsplit_once(':')?;
        let revision: i64 = revision.parse().ok()?;
        (!family.is_empty() && revision > 0).then_some((family, revision))
    }

    pub(super) async fn task_definitions(
        l: &Ledger<'_>,
        client: &aws_sdk_ecs::Client,
        region: &str,
    ) -> Result<Vec<TaskDefinition>, Unknown> {
        const OP: &str = "ecs:ListTaskDefinitions";
        let mut pages = client
            .list_task_definitions()
            .status(TaskDefinitionStatus::Active)
            .into_paginator()
            .send();
        // The highest ACTIVE revision of each family.
        let mut latest: BTreeMap<String, (i64, String)> = BTreeMap::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for arn in page.task_definition_arns() {
                let Some((family, revision)) = family_and_revision(arn) else {
                    return Err(l.parse_error(
                        OP,
                        region,
                        format!("`{arn}` is not a task definition ARN"),
                    ));
                };
                let entry = latest
                    .entry(family.to_string())
                    .or_insert((revision, arn.clone()));
                if revision > entry.0 {
                    *entry = (revision, arn.clone());
                }
            }
        }
        let mut out: Vec<TaskDefinition> = stream::iter(latest)
            .map(|(family, (revision, arn))| async move {
                let described = describe(l, client, &arn).await;
                let (tags, containers) = match described {
                    Ok((t, c)) => (Fact::Known(t), Fact::Known(c)),
                    Err(u) => (Fact::Unknown(u.clone()), Fact::Unknown(u)),
                };
                TaskDefinition {
                    arn,
                    family,
                    revision,
                    tags,
                    containers,
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        out.sort_by(|a, b| a.family.cmp(&b.family));
        Ok(out)
    }

    async fn describe(
        l: &Ledger<'_>,
        client: &aws_sdk_ecs::Client,
        arn: &str,
    ) -> Result<(Tags, Vec<Container>), Unknown> {
        let o = l
            .must(
                DESCRIBE,
                arn,
                client
                    .describe_task_definition()
                    .task_definition(arn)
                    .include(TaskDefinitionField::Tags)
                    .send(),
            )
            .await?;
        let Some(td) = o.task_definition() else {
            return Err(l.parse_error(DESCRIBE, arn, "the answer has no task definition"));
        };
        let mut containers = Vec::new();
        for c in td.container_definitions() {
            containers.push(container(l, c, arn)?);
        }
        let tags: Tags = o
            .tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
            .collect();
        Ok((tags, containers))
        // The answer, with every environment value in it, is dropped here.
    }

    /// One container definition, its environment reduced to names.
    fn container(l: &Ledger<'_>, c: &ContainerDefinition, arn: &str) -> Result<Container, Unknown> {
        let Some(name) = c.name() else {
            return Err(l.parse_error(DESCRIBE, arn, "a container definition without a name"));
        };
        let mut environment = Vec::new();
        for kv in c.environment() {
            let Some(var) = kv.name() else {
                return Err(l.parse_error(
                    DESCRIBE,
                    arn,
                    format!("an environment variable of `{name}` without a name"),
                ));
            };
            environment.push(keep_name(var, kv.value()));
        }
        environment.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Container {
            name: name.to_string(),
            privileged: c.privileged(),
            readonly_root_filesystem: c.readonly_root_filesystem(),
            log_driver: c
                .log_configuration()
                .map(|lc| lc.log_driver().as_str().to_string()),
            environment,
        })
    }

    #[cfg(test)]
    #[test]
    fn task_definition_arns_are_split_at_the_last_colon() {
        assert_eq!(
            family_and_revision("arn:aws:ecs:us-east-1:123456789012:task-definition/web:12"),
            Some(("web", 12))
        );
        assert_eq!(
            family_and_revision("arn:aws:ecs:us-east-1:1:task-definition/web"),
            None
        );
        assert_eq!(
            family_and_revision("arn:aws:ecs:us-east-1:1:task-definition/:3"),
            None
        );
        assert_eq!(family_and_revision("web:3"), None);
    }
}

#[cfg(all(test, feature = "workloads"))]
mod tests {
    //! Recorded responses: the latest of several revisions is the one described, its values are
    //! dropped, and a failed description leaves that task definition unknown.
    use super::with_sdk::task_definitions;
    use crate::collect::mocks::{json_error, mocked_rules};
    use crate::ledger::Ledger;
    use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
    use aws_sdk_ecs::operation::list_task_definitions::ListTaskDefinitionsOutput;
    use aws_sdk_ecs::types::{
        ContainerDefinition, KeyValuePair, LogConfiguration, LogDriver, Secret, Tag, TaskDefinition,
    };
    use aws_smithy_mocks::mock;
    use hipaa_core::evidence::UnknownReason;
    use hipaa_core::NoProgress;

    const MARKER: &str = "recorded-ecs-value-never-kept-91c2";
    const WEB_2: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";

    fn list() -> ListTaskDefinitionsOutput {
        ListTaskDefinitionsOutput::builder()
            .task_definition_arns("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1")
            .task_definition_arns(WEB_2)
            .task_definition_arns("arn:aws:ecs:us-east-1:123456789012:task-definition/batch:4")
            .build()
    }

    fn web() -> DescribeTaskDefinitionOutput {
        DescribeTaskDefinitionOutput::builder()
            .task_definition(
                TaskDefinition::builder()
                    .task_definition_arn(WEB_2)
                    .family("web")
                    .revision(2)
                    .container_definitions(
                        ContainerDefinition::builder()
                            .name("app")
                            .privileged(true)
                            .environment(
                                KeyValuePair::builder()
                                    .name("DB_PASSWORD")
                                    .value(MARKER)
                                    .build(),
                            )
                            .secrets(
                                Secret::builder()
                                    .name("API_KEY")
                                    .value_from(
                                        "arn:aws:secretsmanager:us-east-1:123456789012:secret:k",
                                    )
                                    .build()
                                    .unwrap(),
                            )
                            .log_configuration(
                                LogConfiguration::builder()
                                    .log_driver(LogDriver::Awslogs)
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .tags(Tag::builder().key("DataClass").value("PHI").build())
            .build()
    }

    #[tokio::test]
    async fn the_latest_revision_is_described_and_its_values_dropped() {
        let list = mock!(aws_sdk_ecs::Client::list_task_definitions).then_output(list);
        let web_rule = mock!(aws_sdk_ecs::Client::describe_task_definition)
            .match_requests(|r| r.task_definition() == Some(WEB_2))
            .then_output(web);
        let batch_rule = mock!(aws_sdk_ecs::Client::describe_task_definition)
            .match_requests(|r| r.task_definition().is_some_and(|t| t.ends_with("batch:4")))
            .then_http_response(|| {
                json_error(
                    400,
                    "AccessDeniedException",
                    "denied",
                    "application/x-amz-json-1.1",
                )
            });
        let client = mocked_rules!(aws_sdk_ecs, [&list, &web_rule, &batch_rule]);
        let l = Ledger::new(4, &NoProgress);
        let got = task_definitions(&l, &client, "us-east-1").await.unwrap();
        assert_eq!(got.len(), 2);
        let (batch, web) = (&got[0], &got[1]);
        assert_eq!((web.family.as_str(), web.revision), ("web", 2));
        assert_eq!(web.tags.known().unwrap()["DataClass"], "PHI");
        let c = &web.containers.known().unwrap()[0];
        assert_eq!(c.privileged, Some(true));
        assert_eq!(c.readonly_root_filesystem, None);
        assert_eq!(c.log_driver.as_deref(), Some("awslogs"));
        assert_eq!(c.environment.len(), 1, "secrets are not environment values");
        assert_eq!(c.environment[0].name, "DB_PASSWORD");
        assert!(c.environment[0].has_value && !c.environment[0].secret_reference);
        assert_eq!((batch.family.as_str(), batch.revision), ("batch", 4));
        assert_eq!(
            batch.containers.clone().get().unwrap_err().reason,
            UnknownReason::AccessDenied
        );
        let text = format!(
            "{} {:?}",
            serde_json::to_string(&got).unwrap(),
            l.log().failures
        );
        assert!(!text.contains(MARKER), "{text}");
    }
}
