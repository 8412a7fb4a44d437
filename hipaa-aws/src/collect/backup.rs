//! AWS Backup: plans with their rules and selections, vaults, the resource types the region
//! lets AWS Backup protect, and restore testing plans with their newest restore job. Every read
//! is a List*, Describe* or Get* call.

use crate::ledger::Ledger;
use crate::regional::{client_in, each_region, to_chrono};
use crate::scan::Scan;
use aws_sdk_backup::types::ConditionType;
use futures::stream::{self, StreamExt};
use hipaa_core::evidence::{Fact, Regional, Unknown};
use hipaa_core::services::backup::evidence::*;

const STAGE: &str = "backup";

pub(crate) async fn collect(scan: &Scan<'_>) -> Option<Regional<BackupRegion>> {
    Some(
        each_region(scan, |region| async move {
            let l = &scan.ledger;
            // One unit per listing; the per-item reads announce their own units once counted.
            l.plan(4, STAGE);
            let c = client_in!(aws_sdk_backup, &scan.config, region);
            let r = region.as_str();
            let (plans, vaults, opt_in, restore_testing) = tokio::join!(
                plans(l, &c, r),
                l.ticked(STAGE, vaults(l, &c, r)),
                l.ticked(STAGE, region_settings(l, &c, r)),
                restore_testing(l, &c, r),
            );
            BackupRegion {
                plans: plans.into(),
                vaults: vaults.into(),
                opt_in: opt_in.into(),
                restore_testing: restore_testing.into(),
            }
        })
        .await,
    )
}

/// Tag keys in selection conditions are written `aws:ResourceTag/<key>`.
const RESOURCE_TAG: &str = "aws:ResourceTag/";

/// Which resource types AWS Backup may protect in the region.
async fn region_settings(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    region: &str,
) -> Result<std::collections::BTreeMap<String, bool>, Unknown> {
    const OP: &str = "backup:DescribeRegionSettings";
    let out = l
        .must(OP, region, client.describe_region_settings().send())
        .await?;
    match out.resource_type_opt_in_preference() {
        Some(m) => Ok(m.iter().map(|(k, v)| (k.clone(), *v)).collect()),
        None => Err(l.parse_error(OP, region, "no resource type opt-in preferences")),
    }
}

// ---------------------------------------------------------------------------------------------
// Restore testing

/// How far back the newest restore job of a restore testing plan is looked for.
const RESTORE_LOOKBACK_DAYS: i64 = 400;

/// Every restore testing plan of the region with its newest restore job.
async fn restore_testing(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    region: &str,
) -> Result<Vec<RestoreTestingPlan>, Unknown> {
    const OP: &str = "backup:ListRestoreTestingPlans";
    let listed = async {
        let mut pages = client.list_restore_testing_plans().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for p in page.restore_testing_plans() {
                let (name, arn) = (p.restore_testing_plan_name(), p.restore_testing_plan_arn());
                if name.is_empty() || arn.is_empty() {
                    return Err(l.parse_error(
                        OP,
                        region,
                        "a restore testing plan without name or ARN",
                    ));
                }
                let schedule = Some(p.schedule_expression())
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                out.push((
                    name.to_string(),
                    arn.to_string(),
                    schedule,
                    p.last_execution_time().and_then(to_chrono),
                ));
            }
        }
        Ok(out)
    }
    .await;
    l.tick(STAGE);
    let listed = listed?;
    l.plan(listed.len() as u64, STAGE);
    let mut out: Vec<RestoreTestingPlan> = stream::iter(listed)
        .map(|(name, arn, schedule, last_execution)| async move {
            let last_job = last_restore_job(l, client, &arn).await.into();
            l.tick(STAGE);
            RestoreTestingPlan {
                name,
                arn,
                schedule,
                last_execution,
                last_job,
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The newest finished restore job of a restore testing plan in the look-back window (else the
/// newest unfinished one); `None` when it has none.
async fn last_restore_job(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    plan_arn: &str,
) -> Result<Option<RestoreJob>, Unknown> {
    const OP: &str = "backup:ListRestoreJobs";
    let since = chrono::Utc::now() - chrono::Duration::days(RESTORE_LOOKBACK_DAYS);
    let mut pages = client
        .list_restore_jobs()
        .by_restore_testing_plan_arn(plan_arn)
        .by_created_after(aws_smithy_types::DateTime::from_secs(since.timestamp()))
        .into_paginator()
        .send();
    let mut jobs = Vec::new();
    while let Some(page) = l.page(OP, plan_arn, pages.next()).await? {
        for j in page.restore_jobs() {
            let Some(id) = j.restore_job_id() else {
                return Err(l.parse_error(OP, plan_arn, "a restore job without an id"));
            };
            jobs.push(RestoreJob {
                id: id.to_string(),
                status: j.status().map(|s| s.as_str().to_string()),
                status_message: j.status_message().map(str::to_string),
                created: j.creation_date().and_then(to_chrono),
                completed: j.completion_date().and_then(to_chrono),
                resource_type: j.resource_type().map(str::to_string),
                validation: j.validation_status().map(|s| s.as_str().to_string()),
                validation_message: j.validation_status_message().map(str::to_string),
            });
        }
    }
    let finished = |j: &RestoreJob| {
        matches!(
            j.status.as_deref(),
            Some("COMPLETED" | "FAILED" | "ABORTED")
        )
    };
    let newest = |list: Vec<RestoreJob>| {
        list.into_iter().max_by(|a, b| {
            (a.completed.or(a.created), &a.id).cmp(&(b.completed.or(b.created), &b.id))
        })
    };
    let (done, open): (Vec<RestoreJob>, Vec<RestoreJob>) = jobs.into_iter().partition(finished);
    Ok(newest(done).or_else(|| newest(open)))
}

// ---------------------------------------------------------------------------------------------
// AWS Backup plans and selections

/// Every backup plan of the region (deleted plans excluded), with its rules and selections.
async fn plans(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    region: &str,
) -> Result<Vec<BackupPlan>, Unknown> {
    const OP: &str = "backup:ListBackupPlans";
    let listed = async {
        let mut pages = client.list_backup_plans().into_paginator().send();
        let mut out = Vec::new();
        while let Some(page) = l.page(OP, region, pages.next()).await? {
            for p in page.backup_plans_list() {
                match (p.backup_plan_id(), p.backup_plan_arn()) {
                    (Some(id), Some(arn)) => out.push((
                        id.to_string(),
                        arn.to_string(),
                        p.backup_plan_name().unwrap_or_default().to_string(),
                    )),
                    _ => return Err(l.parse_error(OP, region, "a plan without id or ARN")),
                }
            }
        }
        Ok(out)
    }
    .await;
    l.tick(STAGE);
    let listed = listed?;
    l.plan(listed.len() as u64, STAGE);
    let mut out: Vec<BackupPlan> = stream::iter(listed)
        .map(|(id, arn, name)| async move {
            let (rules, selections) = tokio::join!(
                plan_rules(l, client, &id, &arn),
                selections(l, client, &id, &arn)
            );
            l.tick(STAGE);
            BackupPlan {
                id,
                arn,
                name,
                rules,
                selections,
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    out.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(out)
}

/// The rules of one plan (`GetBackupPlan`, latest version).
async fn plan_rules(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    id: &str,
    arn: &str,
) -> Fact<Vec<BackupRule>> {
    const OP: &str = "backup:GetBackupPlan";
    let r = l
        .must(OP, arn, client.get_backup_plan().backup_plan_id(id).send())
        .await;
    Fact::from(r.and_then(|o| {
        let plan = o
            .backup_plan()
            .ok_or_else(|| l.parse_error(OP, arn, "no plan document in the answer"))?;
        Ok(plan.rules().iter().map(rule).collect())
    }))
}

fn rule(r: &aws_sdk_backup::types::BackupRule) -> BackupRule {
    BackupRule {
        name: r.rule_name().to_string(),
        schedule: r
            .schedule_expression()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string),
        vault: r.target_backup_vault_name().to_string(),
        // A negative DeleteAfterDays (-1) is how AWS Backup spells "keep forever".
        delete_after_days: r
            .lifecycle()
            .and_then(|lc| lc.delete_after_days())
            .filter(|d| *d >= 0),
        copy_to: r
            .copy_actions()
            .iter()
            .map(|c| c.destination_backup_vault_arn().to_string())
            .collect(),
    }
}

/// The resource selections of one plan: `ListBackupSelections`, then `GetBackupSelection` for
/// each. Any failed read, or a selection that cannot be read whole, makes the whole
/// list unknown: a partial list could hide the selection that covers (or fails to cover) a resource.
async fn selections(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    plan_id: &str,
    plan_arn: &str,
) -> Fact<Vec<BackupSelection>> {
    Fact::from(read_selections(l, client, plan_id, plan_arn).await)
}

async fn read_selections(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    plan_id: &str,
    plan_arn: &str,
) -> Result<Vec<BackupSelection>, Unknown> {
    const LIST: &str = "backup:ListBackupSelections";
    const GET: &str = "backup:GetBackupSelection";
    let mut pages = client
        .list_backup_selections()
        .backup_plan_id(plan_id)
        .into_paginator()
        .send();
    let mut ids = Vec::new();
    while let Some(page) = l.page(LIST, plan_arn, pages.next()).await? {
        for s in page.backup_selections_list() {
            match s.selection_id() {
                Some(id) => ids.push(id.to_string()),
                None => return Err(l.parse_error(LIST, plan_arn, "a selection without id")),
            }
        }
    }
    let read: Vec<Result<BackupSelection, Unknown>> = stream::iter(ids)
        .map(|sid| async move {
            let resource = format!("{plan_arn}/selection/{sid}");
            let o = l
                .must(
                    GET,
                    &resource,
                    client
                        .get_backup_selection()
                        .backup_plan_id(plan_id)
                        .selection_id(&sid)
                        .send(),
                )
                .await?;
            let sel = o
                .backup_selection()
                .ok_or_else(|| l.parse_error(GET, &resource, "no selection in the answer"))?;
            selection(&sid, sel).map_err(|why| l.parse_error(GET, &resource, why))
        })
        .buffered(8)
        .collect()
        .await;
    let mut out = read.into_iter().collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(out)
}

fn tag_key(k: &str) -> String {
    k.strip_prefix(RESOURCE_TAG).unwrap_or(k).to_string()
}

/// One selection as evidence, or why it cannot be read.
///
/// AWS Backup picks the resources that match a `Resources` pattern or a `ListOfTags` entry
/// (OR), then keeps those matching every `Conditions` entry (AND), minus `NotResources`; the
/// evidence keeps all four parts. A `ListOfTags` entry of a type other than `STRINGEQUALS` is
/// left out, which can only make the selection look narrower than it is.
fn selection(
    id: &str,
    s: &aws_sdk_backup::types::BackupSelection,
) -> Result<BackupSelection, String> {
    let name = s.selection_name().to_string();
    let tags: Vec<(String, String)> = s
        .list_of_tags()
        .iter()
        .filter(|c| *c.condition_type() == ConditionType::Stringequals)
        .map(|c| (tag_key(c.condition_key()), c.condition_value().to_string()))
        .collect();
    let mut conditions = Vec::new();
    if let Some(c) = s.conditions() {
        let groups = [
            (TagOp::Equals, c.string_equals()),
            (TagOp::NotEquals, c.string_not_equals()),
            (TagOp::Like, c.string_like()),
            (TagOp::NotLike, c.string_not_like()),
        ];
        for (op, params) in groups {
            for p in params {
                let (Some(k), Some(v)) = (p.condition_key(), p.condition_value()) else {
                    return Err(format!(
                        "selection `{name}` has a condition without key or value"
                    ));
                };
                conditions.push(TagCondition {
                    op,
                    key: tag_key(k),
                    value: v.to_string(),
                });
            }
        }
    }
    Ok(BackupSelection {
        id: id.to_string(),
        name,
        resources: s.resources().to_vec(),
        not_resources: s.not_resources().to_vec(),
        tags,
        conditions,
    })
}

// ---------------------------------------------------------------------------------------------
// AWS Backup vaults

async fn vaults(
    l: &Ledger<'_>,
    client: &aws_sdk_backup::Client,
    region: &str,
) -> Result<Vec<BackupVault>, Unknown> {
    const OP: &str = "backup:ListBackupVaults";
    let mut pages = client.list_backup_vaults().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = l.page(OP, region, pages.next()).await? {
        for v in page.backup_vault_list() {
            let (Some(name), Some(arn)) = (v.backup_vault_name(), v.backup_vault_arn()) else {
                return Err(l.parse_error(OP, region, "a vault without name or ARN"));
            };
            out.push(BackupVault {
                name: name.to_string(),
                arn: arn.to_string(),
                encryption_key_arn: v.encryption_key_arn().map(str::to_string),
                // Absent means no Vault Lock has been applied.
                locked: v.locked().unwrap_or(false),
                min_retention_days: v.min_retention_days(),
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_backup::operation::get_backup_selection::{
        GetBackupSelectionError, GetBackupSelectionOutput,
    };
    use aws_sdk_backup::operation::list_backup_selections::{
        ListBackupSelectionsError, ListBackupSelectionsOutput,
    };
    use aws_sdk_backup::types::{
        BackupSelectionsListMember, Condition, ConditionParameter, Conditions,
    };
    use aws_sdk_backup::Client;
    use aws_smithy_mocks::{mock, Rule};
    use aws_smithy_types::error::ErrorMetadata;
    use hipaa_core::evidence::UnknownReason;

    const PLAN: &str = "plan-1";
    const PLAN_ARN: &str = "arn:aws:backup:us-east-1:123456789012:backup-plan:plan-1";

    /// A Backup client answered by `rules` only (no network, no retries).
    fn client(rules: &[&Rule]) -> Client {
        crate::collect::mocks::mocked_rules!(aws_sdk_backup, rules.iter().copied())
    }

    fn listed(ids: &[&str]) -> Rule {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        mock!(Client::list_backup_selections)
            .match_requests(|r| r.backup_plan_id() == Some(PLAN))
            .then_output(move || {
                let mut b = ListBackupSelectionsOutput::builder();
                for id in &ids {
                    b = b.backup_selections_list(
                        BackupSelectionsListMember::builder()
                            .selection_id(id)
                            .selection_name(format!("name-{id}"))
                            .backup_plan_id(PLAN)
                            .build(),
                    );
                }
                b.build()
            })
    }

    fn sel(name: &str) -> aws_sdk_backup::types::builders::BackupSelectionBuilder {
        aws_sdk_backup::types::BackupSelection::builder()
            .selection_name(name)
            .iam_role_arn("arn:aws:iam::123456789012:role/backup")
    }

    fn tag_condition(k: &str, v: &str) -> Condition {
        Condition::builder()
            .condition_type(ConditionType::Stringequals)
            .condition_key(k)
            .condition_value(v)
            .build()
            .unwrap()
    }

    fn param(k: &str, v: &str) -> ConditionParameter {
        ConditionParameter::builder()
            .condition_key(k)
            .condition_value(v)
            .build()
    }

    fn got(id: &'static str, s: aws_sdk_backup::types::BackupSelection) -> Rule {
        mock!(Client::get_backup_selection)
            .match_requests(move |r| r.selection_id() == Some(id))
            .then_output(move || {
                GetBackupSelectionOutput::builder()
                    .backup_plan_id(PLAN)
                    .selection_id(id)
                    .backup_selection(s.clone())
                    .build()
            })
    }

    #[tokio::test]
    async fn region_settings_are_read_and_an_empty_answer_is_unknown() {
        use aws_sdk_backup::operation::describe_region_settings::DescribeRegionSettingsOutput;
        let l = Ledger::new(2, &hipaa_core::NoProgress);
        let answer = mock!(Client::describe_region_settings).then_output(|| {
            DescribeRegionSettingsOutput::builder()
                .resource_type_opt_in_preference("S3", false)
                .resource_type_opt_in_preference("EFS", true)
                .build()
        });
        let got = region_settings(&l, &client(&[&answer]), "us-east-1")
            .await
            .unwrap();
        assert_eq!(got.get("S3"), Some(&false));
        assert_eq!(got.get("EFS"), Some(&true));

        let empty = mock!(Client::describe_region_settings)
            .then_output(|| DescribeRegionSettingsOutput::builder().build());
        let u = region_settings(&l, &client(&[&empty]), "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::ParseError);
    }

    #[tokio::test]
    async fn selections_are_read_with_resources_tags_and_conditions() {
        let by_tag = sel("phi-by-tag")
            .resources("arn:aws:rds:*:*:db:*")
            .not_resources("arn:aws:rds:us-east-1:123456789012:db:scratch")
            .list_of_tags(tag_condition("aws:ResourceTag/DataClass", "PHI"))
            .list_of_tags(tag_condition("backup", "daily"))
            .build()
            .unwrap();
        let all_phi = sel("all-phi")
            .resources("*")
            .conditions(
                Conditions::builder()
                    .string_equals(param("aws:ResourceTag/DataClass", "PHI"))
                    .build(),
            )
            .build()
            .unwrap();
        let (list, a, b) = (
            listed(&["sel-b", "sel-a"]),
            got("sel-a", by_tag),
            got("sel-b", all_phi),
        );
        let c = client(&[&list, &a, &b]);
        let ledger = Ledger::new(4, &hipaa_core::NoProgress);
        let out = selections(&ledger, &c, PLAN, PLAN_ARN).await;
        let want = vec![
            BackupSelection {
                id: "sel-b".into(),
                name: "all-phi".into(),
                resources: vec!["*".into()],
                not_resources: vec![],
                tags: vec![],
                conditions: vec![TagCondition {
                    op: TagOp::Equals,
                    key: "DataClass".into(),
                    value: "PHI".into(),
                }],
            },
            BackupSelection {
                id: "sel-a".into(),
                name: "phi-by-tag".into(),
                resources: vec!["arn:aws:rds:*:*:db:*".into()],
                not_resources: vec!["arn:aws:rds:us-east-1:123456789012:db:scratch".into()],
                tags: vec![
                    ("DataClass".into(), "PHI".into()),
                    ("backup".into(), "daily".into()),
                ],
                conditions: vec![],
            },
        ];
        assert_eq!(out, Fact::Known(want));
        let log = ledger.log();
        assert_eq!(log.calls["backup:ListBackupSelections"], 1);
        assert_eq!(log.calls["backup:GetBackupSelection"], 2);
        assert!(log.failures.is_empty());
    }

    #[tokio::test]
    async fn a_denied_selection_read_makes_the_plan_selections_unknown() {
        let list = listed(&["sel-a"]);
        let denied = mock!(Client::get_backup_selection).then_error(|| {
            GetBackupSelectionError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized to perform backup:GetBackupSelection")
                    .build(),
            )
        });
        let c = client(&[&list, &denied]);
        let ledger = Ledger::new(4, &hipaa_core::NoProgress);
        let Fact::Unknown(u) = selections(&ledger, &c, PLAN, PLAN_ARN).await else {
            panic!("a denied read must not give a known list");
        };
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert_eq!(u.operation, "backup:GetBackupSelection");
        assert!(
            u.detail.starts_with("AccessDeniedException"),
            "{}",
            u.detail
        );
        let log = ledger.log();
        assert_eq!(log.failures.len(), 1);
        assert_eq!(
            log.failures[0].resource,
            format!("{PLAN_ARN}/selection/sel-a")
        );
    }

    #[tokio::test]
    async fn a_denied_listing_makes_the_plan_selections_unknown() {
        let denied = mock!(Client::list_backup_selections).then_error(|| {
            ListBackupSelectionsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .build(),
            )
        });
        let c = client(&[&denied]);
        let ledger = Ledger::new(4, &hipaa_core::NoProgress);
        let out = selections(&ledger, &c, PLAN, PLAN_ARN).await;
        assert!(
            matches!(&out, Fact::Unknown(u) if u.reason == UnknownReason::AccessDenied
                && u.operation == "backup:ListBackupSelections"),
            "{out:?}"
        );
    }

    #[tokio::test]
    async fn a_plan_without_selections_has_a_known_empty_list() {
        let list = listed(&[]);
        let c = client(&[&list]);
        let ledger = Ledger::new(4, &hipaa_core::NoProgress);
        assert_eq!(
            selections(&ledger, &c, PLAN, PLAN_ARN).await,
            Fact::Known(vec![])
        );
    }

    #[test]
    fn every_condition_is_kept_with_its_operator() {
        let s = sel("typed")
            .resources("arn:aws:dynamodb:*:*:table/*")
            .conditions(
                Conditions::builder()
                    .string_equals(param("aws:ResourceTag/DataClass", "PHI"))
                    .string_equals(param("aws:ResourceTag/backup", "yes"))
                    .string_not_equals(param("aws:ResourceTag/env", "dev"))
                    .string_like(param("aws:ResourceTag/team", "ehr-*"))
                    .string_not_like(param("aws:ResourceTag/tier", "scratch*"))
                    .build(),
            )
            .build()
            .unwrap();
        let got = selection("x", &s).unwrap();
        assert_eq!(
            got.resources,
            vec!["arn:aws:dynamodb:*:*:table/*".to_string()]
        );
        let ops: Vec<(TagOp, &str, &str)> = got
            .conditions
            .iter()
            .map(|c| (c.op, c.key.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            ops,
            vec![
                (TagOp::Equals, "DataClass", "PHI"),
                (TagOp::Equals, "backup", "yes"),
                (TagOp::NotEquals, "env", "dev"),
                (TagOp::Like, "team", "ehr-*"),
                (TagOp::NotLike, "tier", "scratch*"),
            ]
        );
        // A condition without its value cannot be read.
        let s = sel("broken")
            .resources("*")
            .conditions(
                Conditions::builder()
                    .string_equals(
                        ConditionParameter::builder()
                            .condition_key("aws:ResourceTag/a")
                            .build(),
                    )
                    .build(),
            )
            .build()
            .unwrap();
        assert!(selection("x", &s).unwrap_err().contains("`broken`"));
    }

    #[test]
    fn keep_forever_and_copy_targets_are_read_from_rules() {
        use aws_sdk_backup::types::{CopyAction, Lifecycle};
        let r = aws_sdk_backup::types::BackupRule::builder()
            .rule_name("daily")
            .target_backup_vault_name("phi-vault")
            .schedule_expression("cron(0 5 ? * * *)")
            .lifecycle(Lifecycle::builder().delete_after_days(-1).build())
            .copy_actions(
                CopyAction::builder()
                    .destination_backup_vault_arn("arn:aws:backup:us-west-2:1:backup-vault:dr")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let got = rule(&r);
        assert_eq!(got.delete_after_days, None);
        assert_eq!(got.schedule.as_deref(), Some("cron(0 5 ? * * *)"));
        assert_eq!(
            got.copy_to,
            vec!["arn:aws:backup:us-west-2:1:backup-vault:dr"]
        );
        let r = aws_sdk_backup::types::BackupRule::builder()
            .rule_name("on-demand")
            .target_backup_vault_name("v")
            .lifecycle(Lifecycle::builder().delete_after_days(7).build())
            .build()
            .unwrap();
        let got = rule(&r);
        assert_eq!((got.schedule, got.delete_after_days), (None, Some(7)));
    }

    #[tokio::test]
    async fn restore_testing_plans_keep_their_newest_finished_job() {
        use aws_sdk_backup::operation::list_restore_jobs::ListRestoreJobsOutput;
        use aws_sdk_backup::operation::list_restore_testing_plans::ListRestoreTestingPlansOutput;
        use aws_sdk_backup::types::{
            RestoreJobStatus, RestoreJobsListMember, RestoreTestingPlanForList,
            RestoreValidationStatus,
        };
        use aws_smithy_types::DateTime;
        const ARN: &str = "arn:aws:backup:us-east-1:123456789012:restore-testing-plan:weekly-1";
        let plans = mock!(Client::list_restore_testing_plans).then_output(|| {
            ListRestoreTestingPlansOutput::builder()
                .restore_testing_plans(
                    RestoreTestingPlanForList::builder()
                        .restore_testing_plan_name("weekly")
                        .restore_testing_plan_arn(ARN)
                        .schedule_expression("cron(0 5 ? * SUN *)")
                        .creation_time(DateTime::from_secs(1_700_000_000))
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
        let job = |id: &str, status: RestoreJobStatus, done: i64| {
            RestoreJobsListMember::builder()
                .restore_job_id(id)
                .status(status)
                .creation_date(DateTime::from_secs(done - 600))
                .completion_date(DateTime::from_secs(done))
                .resource_type("EBS")
                .validation_status(RestoreValidationStatus::Successful)
                .build()
        };
        let jobs = mock!(Client::list_restore_jobs)
            .match_requests(|r| r.by_restore_testing_plan_arn() == Some(ARN))
            .then_output(move || {
                ListRestoreJobsOutput::builder()
                    .restore_jobs(job("old", RestoreJobStatus::Completed, 1_780_000_000))
                    .restore_jobs(job("new", RestoreJobStatus::Completed, 1_780_600_000))
                    .restore_jobs(job("running", RestoreJobStatus::Running, 1_781_000_000))
                    .build()
            });
        let l = Ledger::new(4, &hipaa_core::NoProgress);
        let got = restore_testing(&l, &client(&[&plans, &jobs]), "us-east-1")
            .await
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].schedule.as_deref(), Some("cron(0 5 ? * SUN *)"));
        let Fact::Known(Some(last)) = &got[0].last_job else {
            panic!("no job: {:?}", got[0].last_job);
        };
        assert_eq!(
            last.id, "new",
            "the newest finished job, not the running one"
        );
        assert_eq!(last.validation.as_deref(), Some("SUCCESSFUL"));

        let denied = mock!(Client::list_restore_jobs).then_error(|| {
            aws_sdk_backup::operation::list_restore_jobs::ListRestoreJobsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .build(),
            )
        });
        let got = restore_testing(&l, &client(&[&plans, &denied]), "us-east-1")
            .await
            .unwrap();
        let Fact::Unknown(u) = &got[0].last_job else {
            panic!("a denied job listing must not read as no job");
        };
        assert_eq!(u.reason, UnknownReason::AccessDenied);

        let no_plans = mock!(Client::list_restore_testing_plans).then_error(|| {
            aws_sdk_backup::operation::list_restore_testing_plans::ListRestoreTestingPlansError::generic(
                ErrorMetadata::builder().code("AccessDeniedException").build(),
            )
        });
        let u = restore_testing(&l, &client(&[&no_plans]), "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(u.reason, UnknownReason::AccessDenied);
        assert_eq!(u.operation, "backup:ListRestoreTestingPlans");
    }
}
