//! Amazon RDS rules. Each judges a *database*: a standalone DB instance, or a DB cluster
//! (Aurora, Multi-AZ DB cluster) with its member instances. Members are judged through their
//! cluster, where storage, backups and authentication are set; settings Aurora keeps on each
//! member (public access, minor upgrades) are read from the members.

use super::evidence::{
    tls_parameter, DbParameter, ParameterGroupUse, RdsCluster, RdsInstance, RdsRegion, RdsSnapshot,
};
use crate::aws::schedule::plural;
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{
    none_found, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict,
};
use crate::services::kms::evidence::KeyManager;
use crate::services::kms::rules::{find_key, key_label};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "rds.backup_retention",
            f: backup_retention,
        },
        RuleFn {
            id: "rds.storage_encrypted",
            f: storage_encrypted,
        },
        RuleFn {
            id: "rds.cmk_encryption",
            f: cmk_encryption,
        },
        RuleFn {
            id: "rds.not_public",
            f: not_public,
        },
        RuleFn {
            id: "rds.multi_az",
            f: multi_az,
        },
        RuleFn {
            id: "rds.deletion_protection",
            f: deletion_protection,
        },
        RuleFn {
            id: "rds.log_exports",
            f: log_exports,
        },
        RuleFn {
            id: "rds.iam_auth",
            f: iam_auth,
        },
        RuleFn {
            id: "rds.auto_minor_upgrade",
            f: auto_minor_upgrade,
        },
        RuleFn {
            id: "rds.tls_enforced",
            f: tls_enforced,
        },
        RuleFn {
            id: "rds.snapshot_not_public",
            f: snapshot_not_public,
        },
        RuleFn {
            id: "rds.snapshot_encrypted",
            f: snapshot_encrypted,
        },
    ]
}

const INSTANCES: &str = "rds:DescribeDBInstances";
const CLUSTERS: &str = "rds:DescribeDBClusters";

/// A database as the controls see it.
pub(crate) enum Db<'a> {
    /// A DB instance outside any listed cluster.
    Instance(&'a RdsInstance),
    /// A DB cluster and its member instances (unknown when the instance listing failed).
    Cluster(&'a RdsCluster, Result<Vec<&'a RdsInstance>, Unknown>),
}

/// The settings both kinds carry, so most rules need no match.
struct Common<'a> {
    engine: &'a str,
    backup_retention_days: i32,
    storage_encrypted: bool,
    kms_key_id: Option<&'a str>,
    multi_az: Option<bool>,
    deletion_protection: Option<bool>,
    iam_auth: Option<bool>,
    log_exports: Option<&'a [String]>,
    op: &'static str,
}

impl<'a> Db<'a> {
    fn common(&self) -> Common<'a> {
        match self {
            Db::Instance(i) => Common {
                engine: &i.engine,
                backup_retention_days: i.backup_retention_days,
                storage_encrypted: i.storage_encrypted,
                kms_key_id: i.kms_key_id.as_deref(),
                multi_az: i.multi_az,
                deletion_protection: i.deletion_protection,
                iam_auth: i.iam_auth,
                log_exports: i.log_exports.as_deref(),
                op: INSTANCES,
            },
            Db::Cluster(c, _) => Common {
                engine: &c.engine,
                backup_retention_days: c.backup_retention_days,
                storage_encrypted: c.storage_encrypted,
                kms_key_id: c.kms_key_id.as_deref(),
                multi_az: c.multi_az,
                deletion_protection: c.deletion_protection,
                iam_auth: c.iam_auth,
                log_exports: c.log_exports.as_deref(),
                op: CLUSTERS,
            },
        }
    }
}

/// A setting the description left out: ERROR naming it, never a guess.
fn given<T: Copy>(v: Option<T>, op: &str, what: &str) -> Result<T, Unknown> {
    v.ok_or_else(|| {
        Unknown::new(
            UnknownReason::NotCollected,
            op,
            format!("the description does not give {what}"),
        )
    })
}

/// Judge every database of every scanned region: clusters with their members, then the
/// instances outside any listed cluster. A failed listing is one ERROR for its region; the
/// other listing is still judged.
pub(crate) fn each_db<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&Db<'a>) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    each_db_in(ctx, |_, db| judge(db))
}

/// [`each_db`], with the region's evidence for rules that read more than the database.
fn each_db_in<'a>(
    ctx: &Context<'a>,
    judge: impl Fn(&'a RdsRegion, &Db<'a>) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.rds, "RDS", "RDS"));
    let mut out = Vec::new();
    for region in regions {
        let data = match &region.data {
            Ok(d) => *d,
            Err(u) => {
                out.push(Outcome::error(
                    ctx.region_resource(region.name),
                    PhiMark::Account,
                    u.clone(),
                ));
                continue;
            }
        };
        let instances = data.instances.get();
        let clusters = data.clusters.get();
        for u in [instances.as_ref().err(), clusters.as_ref().err()]
            .into_iter()
            .flatten()
        {
            out.push(Outcome::error(
                ctx.region_resource(region.name),
                PhiMark::Account,
                u.clone(),
            ));
        }
        if let Ok(clusters) = clusters {
            for c in clusters {
                let members = instances.as_ref().map_err(Clone::clone).map(|list| {
                    list.iter()
                        .filter(|i| i.cluster_id.as_deref() == Some(c.id.as_str()))
                        .collect()
                });
                let phi = PhiMark::of_known(&ctx.scope.phi, &c.tags);
                let res = Resource::regional(ctx, &c.arn, &c.id, "AwsRdsDbCluster", region.name, &phi);
                out.push(Outcome::from_result(res, phi, judge(data, &Db::Cluster(c, members))));
            }
        }
        if let Ok(instances) = instances {
            let listed = |id: &str| {
                clusters
                    .as_ref()
                    .is_ok_and(|cs| cs.iter().any(|c| c.id == id))
            };
            for i in instances {
                match i.cluster_id.as_deref() {
                    // Judged with its cluster; when the cluster listing failed, its ERROR
                    // stands for the member.
                    Some(c) if listed(c) || clusters.is_err() => continue,
                    _ => {}
                }
                let phi = PhiMark::of_known(&ctx.scope.phi, &i.tags);
                let res = Resource::regional(ctx, &i.arn, &i.id, "AwsRdsDbInstance", region.name, &phi);
                out.push(Outcome::from_result(res, phi, judge(data, &Db::Instance(i))));
            }
        }
    }
    if out.is_empty() {
        return none_found(ctx, "RDS databases");
    }
    out
}

fn backup_retention(ctx: &Context<'_>) -> Vec<Outcome> {
    let min = ctx.scope.thresholds.rds_backup_retention_min_days;
    each_db(ctx, |db| {
        let d = db.common().backup_retention_days;
        Ok(if d <= 0 {
            Verdict::fail("automated backups are off (backup retention period 0 days)")
        } else if i64::from(d) < i64::from(min) {
            Verdict::fail(format!(
                "automated backups are kept {}, fewer than {}",
                plural(d.unsigned_abs().into(), "day"),
                plural(min.into(), "day")
            ))
        } else {
            Verdict::pass(format!(
                "automated backups are kept {}",
                plural(d.unsigned_abs().into(), "day")
            ))
        })
    })
}

fn storage_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db(ctx, |db| {
        Ok(if db.common().storage_encrypted {
            Verdict::pass("storage is encrypted at rest")
        } else {
            Verdict::fail(
                "storage is not encrypted: data, logs, backups and snapshots are stored in clear",
            )
        })
    })
}

fn cmk_encryption(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db(ctx, |db| {
        let c = db.common();
        if !c.storage_encrypted {
            return Ok(Verdict::fail("storage is not encrypted at all"));
        }
        let Some(key) = c.kms_key_id else {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                c.op,
                "encrypted storage without its KMS key in the description",
            ));
        };
        let k = find_key(ctx, key, c.op)?;
        Ok(match k.metadata.get()?.manager {
            KeyManager::Customer => Verdict::pass(format!(
                "encrypted with the customer-managed key `{}`",
                k.display_name()
            )),
            KeyManager::Aws => Verdict::fail(format!(
                "encrypted with the AWS-managed key `{}`: its policy cannot be narrowed, and snapshots under it cannot be shared with a recovery account",
                k.display_name()
            )),
        })
    })
}

/// The members of a cluster for which `flag` is true; an unknown flag is ERROR.
fn members_where(
    members: &Result<Vec<&RdsInstance>, Unknown>,
    flag: impl Fn(&RdsInstance) -> Option<bool>,
    what: &str,
) -> Result<Vec<String>, Unknown> {
    let members = members.as_ref().map_err(Clone::clone)?;
    let mut hits = Vec::new();
    for m in members {
        if given(flag(m), INSTANCES, &format!("{what} of member {}", m.id))? {
            hits.push(m.id.clone());
        }
    }
    Ok(hits)
}

fn not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    const OPEN: &str = "publicly accessible: its endpoint resolves to a public address, so only its security groups stand between the internet and the database";
    each_db(ctx, |db| match db {
        Db::Instance(i) => Ok(if given(i.publicly_accessible, INSTANCES, "public accessibility")? {
            Verdict::fail(OPEN)
        } else {
            Verdict::pass("not publicly accessible")
        }),
        Db::Cluster(c, members) => {
            if c.publicly_accessible == Some(true) {
                return Ok(Verdict::fail(OPEN));
            }
            let open = members_where(members, |m| m.publicly_accessible, "public accessibility")?;
            Ok(if open.is_empty() {
                Verdict::pass("no member instance is publicly accessible")
            } else {
                Verdict::fail(format!(
                    "member {} publicly accessible: its endpoint resolves to a public address",
                    if open.len() == 1 {
                        format!("{} is", open[0])
                    } else {
                        format!("s {} are", open.join(", "))
                    }
                ))
            })
        }
    })
}

fn multi_az(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db(ctx, |db| {
        let c = db.common();
        Ok(if given(c.multi_az, c.op, "Multi-AZ")? {
            Verdict::pass("runs in more than one Availability Zone")
        } else {
            Verdict::fail(
                "runs in one Availability Zone: an outage there stops the database until it is restored",
            )
        })
    })
}

fn deletion_protection(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db(ctx, |db| {
        let c = db.common();
        Ok(if given(c.deletion_protection, c.op, "deletion protection")? {
            Verdict::pass("deletion protection is on")
        } else {
            Verdict::fail("deletion protection is off: one API call deletes the database")
        })
    })
}

fn log_exports(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db(ctx, |db| {
        let c = db.common();
        let Some(logs) = c.log_exports else {
            return Err(Unknown::new(
                UnknownReason::NotCollected,
                c.op,
                "the description does not give the exported log types",
            ));
        };
        Ok(if logs.is_empty() {
            Verdict::fail("exports no logs to CloudWatch Logs: database activity is not retained outside the instance")
        } else {
            Verdict::pass(format!("exports {} logs to CloudWatch Logs", logs.join(", ")))
        })
    })
}

/// Engines that offer IAM database authentication.
fn offers_iam_auth(engine: &str) -> bool {
    let e = engine.to_ascii_lowercase();
    e.starts_with("aurora") || e.starts_with("mysql") || e.starts_with("mariadb") || e.starts_with("postgres")
}

fn iam_auth(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db(ctx, |db| {
        let c = db.common();
        if !offers_iam_auth(c.engine) {
            return Ok(Verdict::not_applicable(format!(
                "{} does not offer IAM database authentication",
                c.engine
            )));
        }
        Ok(if given(c.iam_auth, c.op, "IAM database authentication")? {
            Verdict::pass("IAM database authentication is on: users sign in with short-lived tokens")
        } else {
            Verdict::fail("IAM database authentication is off: every user needs a long-lived database password")
        })
    })
}

fn auto_minor_upgrade(ctx: &Context<'_>) -> Vec<Outcome> {
    const OFF: &str = "automatic minor version upgrades are off: security patches wait for someone to apply them";
    each_db(ctx, |db| match db {
        Db::Instance(i) => Ok(
            if given(i.auto_minor_upgrade, INSTANCES, "automatic minor version upgrade")? {
                Verdict::pass("automatic minor version upgrades are on")
            } else {
                Verdict::fail(OFF)
            },
        ),
        Db::Cluster(c, members) => {
            if let Some(on) = c.auto_minor_upgrade {
                return Ok(if on {
                    Verdict::pass("automatic minor version upgrades are on")
                } else {
                    Verdict::fail(OFF)
                });
            }
            let on = members_where(members, |m| m.auto_minor_upgrade, "automatic minor version upgrade")?;
            let all = members.as_ref().map_or(0, Vec::len);
            Ok(if all == 0 {
                Verdict::not_applicable("the cluster has no member instances to upgrade")
            } else if on.len() == all {
                Verdict::pass("automatic minor version upgrades are on for every member")
            } else {
                let off: Vec<&str> = members
                    .as_ref()
                    .map(|ms| {
                        ms.iter()
                            .map(|m| m.id.as_str())
                            .filter(|id| !on.iter().any(|o| o == id))
                            .collect()
                    })
                    .unwrap_or_default();
                Verdict::fail(format!("{OFF} (member {})", off.join(", ")))
            })
        }
    })
}

// ---------------------------------------------------------------------------------------------
// TLS

const PARAMETERS: &str = "rds:DescribeDBParameters";
const CLUSTER_PARAMETERS: &str = "rds:DescribeDBClusterParameters";

fn tls_enforced(ctx: &Context<'_>) -> Vec<Outcome> {
    each_db_in(ctx, |region, db| {
        let c = db.common();
        let Some((param, on)) = tls_parameter(c.engine) else {
            return Ok(Verdict::not_applicable(format!(
                "{} sets TLS outside the parameter group (an option group or the engine's own settings)",
                c.engine
            )));
        };
        let (group, groups, op, what) = match db {
            Db::Instance(i) => {
                let list = i.parameter_groups.as_deref().ok_or_else(|| {
                    Unknown::new(
                        UnknownReason::NotCollected,
                        INSTANCES,
                        "the description does not give the DB parameter group",
                    )
                })?;
                // An instance has one group; with more, every one must force TLS.
                let [group] = list else {
                    return judge_groups(list, &region.parameter_groups, param, on);
                };
                (group, &region.parameter_groups, PARAMETERS, "parameter group")
            }
            Db::Cluster(cl, _) => {
                let group = cl.parameter_group.as_ref().ok_or_else(|| {
                    Unknown::new(
                        UnknownReason::NotCollected,
                        CLUSTERS,
                        "the description does not give the DB cluster parameter group",
                    )
                })?;
                (group, &region.cluster_parameter_groups, CLUSTER_PARAMETERS, "cluster parameter group")
            }
        };
        let params = read_group(groups, group, op)?;
        Ok(judge_group(group, what, params, param, on))
    })
}

/// The parameters read from a group, or why there are none.
pub(crate) fn read_group<'a>(
    groups: &'a std::collections::BTreeMap<String, crate::evidence::Fact<Vec<DbParameter>>>,
    group: &ParameterGroupUse,
    op: &str,
) -> Result<&'a Vec<DbParameter>, Unknown> {
    match groups.get(&group.name) {
        Some(f) => f.get(),
        None => Err(Unknown::new(
            UnknownReason::NotCollected,
            op,
            format!("the parameter group `{}` was not read", group.name),
        )),
    }
}

/// Several DB parameter groups on one instance: PASS only when each forces TLS.
fn judge_groups(
    list: &[ParameterGroupUse],
    groups: &std::collections::BTreeMap<String, crate::evidence::Fact<Vec<DbParameter>>>,
    param: &str,
    on: &[&str],
) -> Result<Verdict, Unknown> {
    if list.is_empty() {
        return Err(Unknown::new(
            UnknownReason::ParseError,
            INSTANCES,
            "the description names no DB parameter group",
        ));
    }
    let mut passes = Vec::new();
    for g in list {
        let v = judge_group(g, "parameter group", read_group(groups, g, PARAMETERS)?, param, on);
        if v.status != crate::vocabulary::Status::Pass {
            return Ok(v);
        }
        passes.push(v.message);
    }
    Ok(Verdict::pass(passes.join("; ")))
}

/// Whether one group forces TLS through `param`.
pub(crate) fn judge_group(
    group: &ParameterGroupUse,
    what: &str,
    params: &[DbParameter],
    param: &str,
    on: &[&str],
) -> Verdict {
    let name = &group.name;
    let default = if group.is_default() {
        format!("; an engine default group cannot be changed, so attach a custom {what} that sets it")
    } else {
        String::new()
    };
    let value = params.iter().find(|p| p.name == param).and_then(|p| p.value.as_deref());
    let Some(value) = value else {
        return Verdict::fail(format!(
            "the {what} `{name}` leaves `{param}` unset, so clients may connect without TLS{default}"
        ));
    };
    if !on.iter().any(|v| v.eq_ignore_ascii_case(value.trim())) {
        return Verdict::fail(format!(
            "the {what} `{name}` sets `{param}` = {value}, so clients may connect without TLS{default}"
        ));
    }
    let is_static = params
        .iter()
        .find(|p| p.name == param)
        .and_then(|p| p.apply_type.as_deref())
        .is_some_and(|t| t.eq_ignore_ascii_case("static"));
    if is_static && group.status.as_deref() == Some("pending-reboot") {
        return Verdict::fail(format!(
            "the {what} `{name}` sets `{param}` = {value}, but that static setting waits for a reboot (`pending-reboot`), so TLS is not forced yet"
        ));
    }
    Verdict::pass(format!(
        "the {what} `{name}` sets `{param}` = {value}: connections without TLS are refused"
    ))
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/// Judge every manual DB snapshot and DB cluster snapshot. A snapshot counts as PHI when it is
/// tagged so, or when the database it was taken from is (tags are copied only on request).
fn each_snapshot(
    ctx: &Context<'_>,
    judge: impl Fn(&RdsSnapshot) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.rds, "RDS", "RDS"));
    let mut out = Vec::new();
    for region in regions {
        let data = match &region.data {
            Ok(d) => *d,
            Err(u) => {
                out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u.clone()));
                continue;
            }
        };
        let source_tags = |id: &str| {
            let instance = data.instances.known().and_then(|l| l.iter().find(|i| i.id == id)).map(|i| &i.tags);
            instance.or_else(|| data.clusters.known().and_then(|l| l.iter().find(|c| c.id == id)).map(|c| &c.tags))
        };
        for (list, kind) in [
            (&data.snapshots, "AwsRdsDbSnapshot"),
            (&data.cluster_snapshots, "AwsRdsDbClusterSnapshot"),
        ] {
            let snaps = match list.get() {
                Ok(s) => s,
                Err(u) => {
                    out.push(Outcome::error(ctx.region_resource(region.name), PhiMark::Account, u));
                    continue;
                }
            };
            for s in snaps {
                let mut phi = PhiMark::of_known(&ctx.scope.phi, &s.tags);
                if phi == PhiMark::NotTagged {
                    if let Some(tags) = s.source.as_deref().and_then(source_tags) {
                        if ctx.scope.phi.matches(tags) {
                            phi = PhiMark::Tagged;
                        }
                    }
                }
                let res = Resource::regional(ctx, &s.arn, &s.id, kind, region.name, &phi);
                out.push(Outcome::from_result(res, phi, judge(s)));
            }
        }
    }
    if out.is_empty() {
        return none_found(ctx, "manual RDS snapshots");
    }
    out
}

fn snapshot_not_public(ctx: &Context<'_>) -> Vec<Outcome> {
    each_snapshot(ctx, |s| {
        let accounts = s.restore.get()?;
        Ok(if accounts.iter().any(|a| a.eq_ignore_ascii_case("all")) {
            Verdict::fail(
                "public: its `restore` attribute includes `all`, so any AWS account can copy it and restore the database",
            )
        } else if accounts.is_empty() {
            Verdict::pass("not shared with any other account")
        } else {
            Verdict::pass(format!("shared only with account {}", accounts.join(", ")))
        })
    })
}

fn snapshot_encrypted(ctx: &Context<'_>) -> Vec<Outcome> {
    each_snapshot(ctx, |s| {
        Ok(if s.encrypted {
            match &s.kms_key_id {
                Some(k) => Verdict::pass(format!("encrypted with the KMS key `{}`", key_label(ctx, k))),
                None => Verdict::pass("encrypted"),
            }
        } else {
            Verdict::fail(
                "not encrypted: anyone it is shared with, or who can copy it, reads the data in clear",
            )
        })
    })
}
