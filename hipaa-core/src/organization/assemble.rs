//! Building the organization report: each account's snapshot evaluated into a small result as
//! soon as it is complete, then the organization controls (and the controls no API can show,
//! once for the organization) judged over all of them.

use super::{
    AccountResult, AccountScan, Member, NotScanned, OrgContext, OrganizationSection, Posture,
    ScanFacts,
};
use crate::catalog::CheckKind;
use crate::error::{Error, Result};
use crate::evaluate::{inherited_verdict, manual_verdict};
use crate::evidence::{
    Fact, Provenance, ReadFailure, ReadLog, Snapshot, Unknown, UnknownReason,
    SNAPSHOT_SCHEMA_VERSION,
};
use crate::report::{
    Finding, Report, ScopeInfo, SnapshotInfo, Summary, ToolInfo, WaiverState, REPORT_SCHEMA_VERSION,
};
use crate::rules::{Outcome, PhiMark, Resource};
use crate::scope::{Scope, Waiver};
use crate::vocabulary::Status;
use crate::Engine;
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

impl Engine {
    /// Evaluate one account's snapshot for an organization report: its automated findings (each
    /// carrying the account), its read counts and its [`Posture`]. Nothing of the snapshot is
    /// kept, so the caller drops it and memory grows with findings, not evidence.
    pub fn evaluate_member(
        &self,
        snapshot: &Snapshot,
        member: &Member,
        via: &str,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<AccountResult> {
        let scope = scope.for_member(&member.id);
        let mut report = self.evaluate_at(snapshot, &scope, now)?;
        let network_map = report.network_map.take().map(Box::new);
        let findings = self.member_findings(report, &member.id, None);
        let failed_reads = snapshot
            .reads
            .failures
            .iter()
            .cloned()
            .map(|mut f| {
                f.account = Some(member.id.clone());
                f
            })
            .collect();
        Ok(AccountResult {
            entry: member.entry(AccountScan::Scanned {
                taken_at: snapshot.taken_at,
                via: via.to_string(),
                regions: snapshot.regions.clone(),
                reads_attempted: snapshot.reads.attempted(),
                failed_reads,
                posture: Box::new(Posture::of(snapshot, &scope, now)),
                network_map,
            }),
            findings,
        })
    }

    /// The result of an account whose role could not be assumed: every automated control that
    /// needs a read is ERROR with the role and STS's reason (the organization controls add the
    /// one account-level ERROR, `org.account_scanned`).
    #[allow(clippy::too_many_arguments)]
    pub fn unreachable_member(
        &self,
        member: &Member,
        role_arn: &str,
        reason: UnknownReason,
        detail: &str,
        partition: &str,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<AccountResult> {
        let u = Unknown::new(
            reason,
            "sts:AssumeRole",
            format!("role `{role_arn}` could not be assumed: {detail}"),
        );
        // An account nothing could be read from: every section absent, as from a live scan.
        let empty = Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            taken_at: now,
            provenance: Provenance::Live { endpoint: None },
            partition: partition.to_string(),
            account: Fact::Known(member.id.clone()),
            regions: scope.regions.clone(),
            account_regions: Fact::Unknown(u.clone()),
            services: Default::default(),
            reads: ReadLog {
                calls: [("sts:AssumeRole".to_string(), 1)].into_iter().collect(),
                failures: Vec::new(),
            },
        };
        let scope = scope.for_member(&member.id);
        let report = self.evaluate_at(&empty, &scope, now)?;
        let findings = self.member_findings(report, &member.id, Some(&u));
        Ok(AccountResult {
            entry: member.entry(AccountScan::Unreachable {
                taken_at: now,
                role_arn: role_arn.to_string(),
                reason,
                detail: detail.to_string(),
            }),
            findings,
        })
    }

    /// An account report's findings as part of an organization report: automated controls only
    /// (the others are judged once for the organization), each carrying the account; with
    /// `cause`, every ERROR names it.
    fn member_findings(&self, report: Report, id: &str, cause: Option<&Unknown>) -> Vec<Finding> {
        report
            .findings
            .into_iter()
            .filter(|f| {
                self.catalog()
                    .get(&f.control_id)
                    .is_none_or(|c| c.check == CheckKind::Automated)
            })
            .map(|mut f| {
                f.account = Some(id.to_string());
                if let (Some(u), Status::Error) = (cause, f.status) {
                    f.message = format!("insufficient data: {u}");
                    f.reason = Some(u.reason);
                }
                f
            })
            .collect()
    }

    /// One report for the organization: every account's findings, the organization controls
    /// judged over every account, the controls no API can show judged once, and the summaries
    /// per account and per OU.
    pub fn organization_report(
        &self,
        facts: ScanFacts,
        results: Vec<AccountResult>,
        skipped: Vec<(Member, NotScanned)>,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<Report> {
        let mut accounts = Vec::with_capacity(results.len() + skipped.len());
        let mut findings = Vec::new();
        for r in results {
            accounts.push(r.entry);
            findings.extend(r.findings);
        }
        for (m, why) in skipped {
            accounts.push(m.entry(AccountScan::NotScanned { why }));
        }
        accounts.sort_by(|a, b| a.id.cmp(&b.id));
        let section = OrganizationSection {
            discovery: facts.discovery,
            partition: facts.partition,
            caller: facts.caller,
            role_name: facts.role_name,
            view: facts.view,
            view_taken_at: facts.view_taken_at,
            view_reads: facts.view_reads,
            accounts,
            shards: facts.shard.map(|s| vec![s.to_string()]).unwrap_or_default(),
        };
        let info = snapshot_info(&section, std::iter::once(facts.source.as_str()));
        build(self, scope, section, findings, Vec::new(), info, now)
    }
}

/// Where an organization report's evidence came from: the earliest read, every source, every
/// region asked for.
pub(crate) fn snapshot_info<'a>(
    org: &OrganizationSection,
    sources: impl Iterator<Item = &'a str>,
) -> SnapshotInfo {
    let taken_at = org
        .accounts
        .iter()
        .filter_map(|e| e.taken_at())
        .chain(std::iter::once(org.view_taken_at))
        .min()
        .unwrap_or(org.view_taken_at);
    let regions: BTreeSet<&str> = org
        .accounts
        .iter()
        .flat_map(|e| match &e.scan {
            AccountScan::Scanned { regions, .. } => regions.as_slice(),
            _ => &[],
        })
        .map(String::as_str)
        .collect();
    let sources: BTreeSet<&str> = sources.filter(|s| !s.is_empty()).collect();
    SnapshotInfo {
        taken_at,
        source: sources.into_iter().collect::<Vec<_>>().join("; "),
        regions: regions.into_iter().map(str::to_string).collect(),
    }
}

/// The order of an organization report's findings: the account report's order, then by account
/// and message, so equal inputs always give the same report.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        crate::report::report_order(a, b)
            .then(a.account.cmp(&b.account))
            .then(a.resource.id.cmp(&b.resource.id))
            .then(a.message.cmp(&b.message))
    });
}

/// The organization as a resource, for organization-wide findings.
pub(crate) fn organization_resource(org: &OrganizationSection) -> Resource {
    match org.view.organization.known().and_then(|o| o.as_ref()) {
        Some(o) => Resource {
            arn: o.arn.clone(),
            id: o.id.clone(),
            kind: "AwsOrganization".into(),
            account: o.management_account.clone(),
            region: None,
            name: None,
            phi: None,
        },
        None => {
            let caller = org.caller.clone().unwrap_or_default();
            Resource {
                arn: format!(
                    "arn:{}:organizations::{caller}:named-accounts",
                    org.partition
                ),
                id: "named-accounts".into(),
                kind: "AwsOrganization".into(),
                account: caller,
                region: None,
                name: Some("the accounts this scan was given".into()),
                phi: None,
            }
        }
    }
}

/// Finish an organization report: judge the organization controls and the controls no API can
/// show over `org`, add `findings` (every account's), count waivers, completeness and summaries.
/// `extra_waivers` are waivers earlier reports applied that the scope does not list (merge).
pub(crate) fn build(
    engine: &Engine,
    scope: &Scope,
    org: OrganizationSection,
    mut findings: Vec<Finding>,
    extra_waivers: Vec<Waiver>,
    info: SnapshotInfo,
    now: DateTime<Utc>,
) -> Result<Report> {
    let scope = &*engine.checked_scope(scope)?;
    let today = now.date_naive();
    let rules = crate::services::org::rules::organization_rules();
    let ctx = OrgContext {
        org: &org,
        scope,
        now,
    };
    let whole = organization_resource(&org);
    let mut used_by_scope = vec![0usize; scope.waivers.len()];
    for control in engine.catalog().enabled() {
        let outcomes = match control.check {
            CheckKind::Automated => continue,
            CheckKind::Organization => match rules.iter().find(|r| r.id == control.id) {
                Some(r) => (r.f)(&ctx),
                None => {
                    return Err(Error::Check {
                        control_id: control.id.clone(),
                        message: "no organization rule decides this control".into(),
                    })
                }
            },
            CheckKind::Manual => vec![Outcome::from_result(
                whole.clone(),
                PhiMark::Account,
                Ok(manual_verdict()),
            )],
            CheckKind::Inherited => vec![Outcome::from_result(
                whole.clone(),
                PhiMark::Account,
                Ok(inherited_verdict()),
            )],
        };
        for o in outcomes {
            if scope.is_excluded(&o.resource.arn, &o.resource.id) {
                continue;
            }
            let account = Some(o.resource.account.clone()).filter(|a| !a.is_empty());
            let mut f = engine.finding(control, o, scope, None, today, &mut used_by_scope);
            f.account = account;
            findings.push(f);
        }
    }
    let mut waivers: Vec<Waiver> = scope.waivers.clone();
    for w in extra_waivers {
        if !waivers.contains(&w) {
            waivers.push(w);
        }
    }
    let mut used = vec![0usize; waivers.len()];
    for f in &findings {
        if let Some(slot) = f.waiver.and_then(|i| used.get_mut(i)) {
            *slot += 1;
        }
    }
    let waivers = waivers
        .into_iter()
        .zip(used)
        .map(|(w, findings_waived)| WaiverState {
            active: w.is_active(today),
            waiver: w,
            findings_waived,
        })
        .collect();
    sort_findings(&mut findings);
    let caller = org.caller.clone();
    let mut failures: Vec<ReadFailure> = org
        .view_reads
        .failures
        .iter()
        .cloned()
        .map(|mut f| {
            f.account = f.account.or_else(|| caller.clone());
            f
        })
        .collect();
    let mut attempted = org.view_reads.attempted();
    for e in &org.accounts {
        failures.extend(e.failed_reads());
        attempted += e.reads_attempted();
    }
    failures.sort_by(|a, b| {
        (&a.account, &a.operation, &a.resource, &a.detail).cmp(&(
            &b.account,
            &b.operation,
            &b.resource,
            &b.detail,
        ))
    });
    let mut summary = Summary::build_from(engine.framework(), &findings, attempted, failures);
    let (by_account, by_ou) = super::summary::build(&org, &findings);
    summary.by_account = by_account;
    summary.by_ou = by_ou;
    let readiness = crate::report::readiness_for(engine.framework(), &findings, &summary);
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION.into(),
        generated_at: now,
        tool: ToolInfo {
            name: "hipaa-aws".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            registry_version: engine.framework().registry().version.clone(),
            controls_in_force: engine.catalog().enabled().count(),
        },
        framework: engine.framework().info().clone(),
        account: None,
        snapshot: info,
        scope: ScopeInfo {
            mode: scope.mode,
            phi_tag_key: scope.phi.tag_key.clone(),
            phi_tag_values: scope.phi.tag_values.clone(),
            exclude: scope.exclude.clone(),
        },
        findings,
        summary,
        waivers,
        readiness,
        network_map: None,
        organization: Some(org),
    })
}
