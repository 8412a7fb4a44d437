//! The engine: runs every enabled control over a snapshot and applies scope and waivers.

use crate::catalog::{Catalog, CheckKind, Control};
use crate::error::{Error, Result};
use crate::evidence::{Snapshot, Unknown, UnknownReason};
use crate::framework::Framework;
use crate::registry::Registry;
use crate::report::{Finding, Report, WaiverState};
use crate::rules::{builtin, Check, Context, Outcome, PhiMark};
use crate::scope::{Scope, ScopeMode};
use crate::vocabulary::Status;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A catalog plus the checks that decide its automated controls; reusable across evaluations.
#[derive(Clone)]
pub struct Engine {
    registry: &'static Registry,
    catalog: Catalog,
    checks: HashMap<String, Arc<dyn Check>>,
    framework: Arc<Framework>,
    /// The catalog's text as findings share it.
    texts: Arc<std::sync::Mutex<crate::report::shared_text::TextPool>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("controls", &self.catalog.controls().len())
            .field("checks", &self.checks.len())
            .field("framework", &self.framework.id())
            .finish()
    }
}

impl Engine {
    /// The bundled registry and catalog with every built-in rule.
    pub fn bundled() -> Result<Engine> {
        let registry = Registry::bundled()?;
        Engine::with_catalog(Catalog::bundled(registry)?)
    }

    /// A custom catalog with every built-in rule.
    pub fn with_catalog(catalog: Catalog) -> Result<Engine> {
        let registry = Registry::bundled()?;
        let mut checks: HashMap<String, Arc<dyn Check>> = HashMap::new();
        for r in builtin() {
            checks.insert(r.id.to_string(), Arc::new(r));
        }
        Ok(Engine {
            registry,
            catalog,
            checks,
            framework: Framework::default_bundled()?,
            texts: Arc::default(),
        })
    }

    /// The bundled engine adjusted by a scope's `[controls]` settings (extra catalogs resolved against `base_dir`).
    pub fn for_scope(scope: &Scope, base_dir: Option<&Path>) -> Result<Engine> {
        let mut e = Engine::bundled()?;
        e.apply_settings(scope, base_dir)?;
        Ok(e)
    }

    /// Apply a scope's `[controls]` settings: extra catalogs, disabled controls, severity overrides.
    pub fn apply_settings(&mut self, scope: &Scope, base_dir: Option<&Path>) -> Result<()> {
        let s = &scope.controls;
        for extra in &s.extra_catalogs {
            let path = match base_dir {
                Some(d) => d.join(extra),
                None => Path::new(extra).to_path_buf(),
            };
            self.catalog.extend_from_file(&path, self.registry)?;
        }
        for id in &s.disable {
            self.catalog.disable(id)?;
        }
        for (id, sev) in &s.severity {
            self.catalog.set_severity(id, *sev)?;
        }
        Ok(())
    }

    /// Add a custom check for a control already in the catalog (load its entry first).
    pub fn register(&mut self, check: Arc<dyn Check>) -> Result<()> {
        let id = check.control_id().to_string();
        match self.catalog.get(&id) {
            None => Err(Error::Check {
                control_id: id,
                message: "no catalog entry has this id".into(),
            }),
            Some(c) if c.check != CheckKind::Automated => Err(Error::Check {
                control_id: id,
                message: "the catalog marks this control as not automated".into(),
            }),
            Some(_) => {
                self.checks.insert(id, check);
                Ok(())
            }
        }
    }

    /// The catalog in force.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Mutable access to the catalog (to extend, disable or re-rate before evaluating).
    pub fn catalog_mut(&mut self) -> &mut Catalog {
        &mut self.catalog
    }

    /// The HIPAA registry.
    pub fn registry(&self) -> &'static Registry {
        self.registry
    }

    /// Group findings by this framework (default: the Security Rule in force). Its mapping is
    /// checked against the catalog in force, so extend the catalog first.
    pub fn set_framework(&mut self, framework: Arc<Framework>) -> Result<()> {
        framework.check_controls(&self.catalog)?;
        self.framework = framework;
        Ok(())
    }

    /// The framework findings are grouped by.
    pub fn framework(&self) -> &Arc<Framework> {
        &self.framework
    }

    /// Evaluate a snapshot under a scope at the current time.
    pub fn evaluate(&self, snapshot: &Snapshot, scope: &Scope) -> Result<Report> {
        self.evaluate_at(snapshot, scope, Utc::now())
    }

    /// Evaluate at a fixed time (for reproducible results and tests).
    pub fn evaluate_at(
        &self,
        snapshot: &Snapshot,
        scope: &Scope,
        now: DateTime<Utc>,
    ) -> Result<Report> {
        let scope = &*self.checked_scope(scope)?;
        let ctx = Context {
            snapshot,
            scope,
            now,
        };
        let today = now.date_naive();
        let mut waiver_use = vec![0usize; scope.waivers.len()];
        let mut findings = Vec::new();
        for control in self.catalog.enabled_for_account() {
            let outcomes = match control.check {
                CheckKind::Automated => {
                    let check = self.checks.get(&control.id).ok_or_else(|| Error::Check {
                        control_id: control.id.clone(),
                        message: "no check is registered for this automated control".into(),
                    })?;
                    check.evaluate(&ctx)
                }
                CheckKind::Manual => vec![Outcome::account(&ctx, Ok(manual_verdict()))],
                CheckKind::Inherited => vec![Outcome::account(&ctx, Ok(inherited_verdict()))],
                // Judged once per organization scan (see `crate::organization`), never per account.
                CheckKind::Organization => continue,
            };
            let outcomes = if snapshot.provenance.is_template() {
                from_code(control, outcomes, snapshot)
            } else {
                outcomes
            };
            for o in outcomes {
                if scope.is_excluded(&o.resource.arn, &o.resource.id) {
                    continue;
                }
                findings.push(self.finding(
                    control,
                    o,
                    scope,
                    Some(snapshot),
                    today,
                    &mut waiver_use,
                ));
            }
        }
        let waivers = scope
            .waivers
            .iter()
            .zip(waiver_use)
            .map(|(w, used)| WaiverState {
                waiver: w.clone(),
                active: w.is_active(today),
                findings_waived: used,
            })
            .collect();
        Ok(Report::build(
            &self.framework,
            &self.catalog,
            snapshot,
            scope,
            findings,
            waivers,
            now,
        ))
    }

    /// The scope with every control id made current, after checking that each waiver and
    /// attestation names a control this engine has (and an attestation a manual one).
    pub(crate) fn checked_scope<'s>(
        &self,
        scope: &'s Scope,
    ) -> Result<std::borrow::Cow<'s, Scope>> {
        let canonical = self.canonical_scope(scope);
        {
            let scope = &*canonical;
            for w in &scope.waivers {
                if self.catalog.get(&w.control).is_none() {
                    return Err(Error::Scope {
                        path: "scope waivers".into(),
                        message: format!("waiver names unknown control `{}`", w.control),
                    });
                }
            }
            for a in &scope.attestations {
                match self.catalog.get(&a.control) {
                    Some(c) if c.check == CheckKind::Manual => {}
                    Some(_) => {
                        return Err(Error::Scope {
                            path: "scope attestations".into(),
                            message: format!("`{}` is not a manual control: its evidence comes from AWS, not an attestation", a.control),
                        })
                    }
                    None => {
                        return Err(Error::Scope { path: "scope attestations".into(), message: format!("attestation names unknown control `{}`", a.control) })
                    }
                }
            }
        }
        Ok(canonical)
    }

    /// The scope with every control id it names made current: a waiver or attestation that
    /// uses an earlier id (see `renamed_from`) applies to the renamed control, with a notice.
    fn canonical_scope<'s>(&self, scope: &'s Scope) -> std::borrow::Cow<'s, Scope> {
        let renamed = |id: &str| self.catalog.canonical_id(id) != id;
        if !scope.waivers.iter().any(|w| renamed(&w.control))
            && !scope.attestations.iter().any(|a| renamed(&a.control))
        {
            return std::borrow::Cow::Borrowed(scope);
        }
        let mut s = scope.clone();
        for w in &mut s.waivers {
            w.control = self.catalog.canonical_id(&w.control).to_string();
        }
        for a in &mut s.attestations {
            a.control = self.catalog.canonical_id(&a.control).to_string();
        }
        std::borrow::Cow::Owned(s)
    }

    pub(crate) fn finding(
        &self,
        control: &Control,
        o: Outcome,
        scope: &Scope,
        snapshot: Option<&Snapshot>,
        today: chrono::NaiveDate,
        waiver_use: &mut [usize],
    ) -> Finding {
        let Outcome {
            resource,
            mut status,
            mut message,
            phi,
            unknown,
        } = o;
        let mut attestation = None;
        if status == Status::Manual {
            // The newest attestation for the control decides.
            let newest = scope
                .attestations
                .iter()
                .filter(|a| a.control == control.id)
                .max_by_key(|a| (a.date, a.expires));
            if let Some(a) = newest {
                if a.is_active(today) {
                    status = Status::Pass;
                    message = format!(
                        "attested by {} on {} (evidence: {}; valid until {})",
                        a.by, a.date, a.evidence, a.expires
                    );
                } else {
                    message = format!(
                        "attestation by {} expired on {}: attest again",
                        a.by, a.expires
                    );
                }
                attestation = Some(a.clone());
            }
        }
        if scope.mode == ScopeMode::PhiOnly && matches!(status, Status::Pass | Status::Fail) {
            match &phi {
                PhiMark::NotTagged => {
                    status = Status::NotApplicable;
                    message = format!("out of scope (not PHI-tagged); {message}");
                }
                PhiMark::Unknown(u) => {
                    status = Status::Error;
                    message = format!("cannot tell whether the resource holds PHI: {u}");
                }
                PhiMark::Account | PhiMark::Tagged => {}
            }
        }
        let mut waiver = None;
        if status == Status::Fail {
            for (i, w) in scope.waivers.iter().enumerate() {
                if !w.covers(&control.id, &resource.arn, &resource.id) {
                    continue;
                }
                if w.is_active(today) {
                    status = Status::Waived;
                    message = format!(
                        "{message} — waived until {} by {}: {}",
                        w.expires, w.owner, w.justification
                    );
                    waiver_use[i] += 1;
                    waiver = Some(i);
                    break;
                }
                message = format!("{message} (waiver expired on {})", w.expires);
            }
        }
        let location = snapshot
            .and_then(|s| s.provenance.template_resource(&resource.arn, &resource.id))
            .and_then(|r| r.location.clone());
        let text = match self.texts.lock() {
            Ok(mut pool) => pool.for_control(control, self.framework.citations_for(control)),
            // A thread that panicked while holding the pool left it usable: start a new one.
            Err(poisoned) => {
                let mut pool = poisoned.into_inner();
                *pool = Default::default();
                pool.for_control(control, self.framework.citations_for(control))
            }
        };
        Finding {
            location,
            control_id: control.id.clone(),
            title: text.title,
            category: control.category,
            citations: text.citations,
            owner: control.owner,
            severity: control.severity,
            status,
            resource,
            message,
            remediation: text.remediation,
            reason: unknown.map(|u| u.reason),
            waiver,
            attestation,
            account: None,
        }
    }
}

/// The message of a control that infrastructure code cannot answer.
const LIVE_ONLY: &str = "judged on the live account, not from a template";

/// Whether a resource kind is the account or one of its regions.
fn account_level(kind: &str) -> bool {
    matches!(kind, "AwsAccount" | "AwsAccountRegion")
}

/// Outcomes judged on infrastructure code, adjusted for what code can and cannot tell:
///
/// - an account-level control (CloudTrail for the account, Block Public Access for the account,
///   EBS encryption by default, …) is the live account's to answer: unless the code itself
///   shows it met (PASS), it is NOT_APPLICABLE, never a FAIL or ERROR the code cannot fix;
///   controls only an attestation or AWS can meet are NOT_APPLICABLE too;
/// - a finding about a resource whose fact the code leaves open until apply (recorded where the
///   evidence holds a plain value) is ERROR with that reason, whatever the rule made of the
///   stand-in value.
fn from_code(control: &Control, outcomes: Vec<Outcome>, snapshot: &Snapshot) -> Vec<Outcome> {
    let live_only = control.check != CheckKind::Automated || account_level(&control.resource_kind);
    outcomes
        .into_iter()
        .map(|mut o| {
            if live_only && account_level(&o.resource.kind) {
                if !matches!(o.status, Status::Pass | Status::NotApplicable) {
                    o.message = match o.status {
                        Status::Fail | Status::Error => {
                            format!("{LIVE_ONLY} (the code alone: {})", o.message)
                        }
                        _ => LIVE_ONLY.to_string(),
                    };
                    o.status = Status::NotApplicable;
                    o.unknown = None;
                }
                return o;
            }
            let open = snapshot
                .provenance
                .template_resource(&o.resource.arn, &o.resource.id)
                .and_then(|r| r.open.iter().find(|f| f.affects(&control.id)));
            if let Some(f) = open {
                // Whatever the rule made of the stand-in value, the fact is open.
                return Outcome::error(o.resource, o.phi, f.unknown.clone());
            }
            // Evidence the code does not hold (a key it does not define) is the live account's:
            // unknown until the code is applied there, not a failed read.
            match o.unknown.as_ref() {
                // An account or region fact the code does not hold (restore jobs, for one) is
                // the live account's to answer, as for an account-level control.
                Some(u)
                    if u.reason == UnknownReason::NotCollected
                        && account_level(&o.resource.kind) =>
                {
                    o.status = Status::NotApplicable;
                    o.message = LIVE_ONLY.to_string();
                    o.unknown = None;
                    o
                }
                Some(u) if u.reason == UnknownReason::NotCollected => {
                    let u = Unknown::new(
                        UnknownReason::UnknownUntilApply,
                        u.operation.clone(),
                        u.detail.clone(),
                    );
                    Outcome::error(o.resource, o.phi, u)
                }
                _ => o,
            }
        })
        .collect()
}

/// What a MANUAL control says until someone attests it.
pub(crate) fn manual_verdict() -> crate::rules::Verdict {
    crate::rules::Verdict::manual("needs an attestation: no API can show this")
}

/// What an INHERITED control says: AWS's side of the shared-responsibility model.
pub(crate) fn inherited_verdict() -> crate::rules::Verdict {
    crate::rules::Verdict {
        status: Status::Inherited,
        message: "met by AWS under the shared-responsibility model; evidence is AWS's audit reports in AWS Artifact".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Fact;
    use crate::rules::Verdict;
    use crate::scope::Waiver;
    use crate::testkit::*;
    use crate::vocabulary::Severity;
    use chrono::NaiveDate;

    fn engine() -> Engine {
        Engine::bundled().unwrap()
    }

    fn unencrypted() -> crate::evidence::Snapshot {
        let mut b = bucket("phi-a");
        b.encryption = Fact::Known(crate::services::s3::evidence::BucketEncryption::None);
        snapshot_with(vec![b])
    }

    fn status_of(r: &Report, control: &str, id: &str) -> Status {
        r.findings
            .iter()
            .find(|f| f.control_id == control && f.resource.id == id)
            .map(|f| f.status)
            .unwrap()
    }

    fn waiver(expires: NaiveDate) -> Waiver {
        Waiver {
            control: "s3.default_encryption".into(),
            resource: "arn:aws:s3:::phi-*".into(),
            justification: "migrating".into(),
            owner: "sec".into(),
            expires,
        }
    }

    #[test]
    fn compliant_snapshot_has_no_failures_and_exits_clean() {
        let r = engine()
            .evaluate_at(&snapshot_with(vec![bucket("b")]), &Scope::default(), now())
            .unwrap();
        let fails: Vec<_> = r
            .failures(Severity::Informational)
            .map(|f| (&f.control_id, &f.message))
            .collect();
        assert!(fails.is_empty(), "{fails:?}");
        assert!(r.is_complete());
        assert_eq!(r.exit_code(Severity::Informational), crate::EXIT_CLEAN);
        assert!(r.findings.iter().any(|f| f.status == Status::Inherited));
        assert!(r.findings.iter().any(|f| f.status == Status::Manual));
    }

    #[test]
    fn gate_follows_the_exit_code() {
        let r = engine()
            .evaluate_at(&unencrypted(), &Scope::default(), now())
            .unwrap();
        let g = r.gate(Severity::High, false);
        assert!(
            !g.ok && g.exit_code == 3 && g.failures.iter().all(|f| f.severity >= Severity::High)
        );
        let mut s = snapshot_with(vec![bucket("b")]);
        sect(&mut s.services.iam).summary = denied("iam:GetAccountSummary");
        let r = engine().evaluate_at(&s, &Scope::default(), now()).unwrap();
        assert_eq!(r.gate(Severity::Low, false).exit_code, 4);
        assert!(r.gate(Severity::Low, true).ok);
    }

    #[test]
    fn failures_set_exit_code_by_threshold() {
        let r = engine()
            .evaluate_at(&unencrypted(), &Scope::default(), now())
            .unwrap();
        assert_eq!(
            status_of(&r, "s3.default_encryption", "phi-a"),
            Status::Fail
        );
        assert_eq!(r.exit_code(Severity::High), crate::EXIT_FAILURES);
        assert_eq!(r.exit_code(Severity::Critical), crate::EXIT_CLEAN);
    }

    #[test]
    fn unknown_facts_make_the_report_incomplete() {
        let mut s = snapshot_with(vec![bucket("b")]);
        sect(&mut s.services.iam).summary = denied("iam:GetAccountSummary");
        let r = engine().evaluate_at(&s, &Scope::default(), now()).unwrap();
        assert_eq!(status_of(&r, "iam.root_mfa", ACCOUNT), Status::Error);
        assert_eq!(
            r.findings
                .iter()
                .find(|f| f.control_id == "iam.root_mfa")
                .and_then(|f| f.reason),
            Some(crate::UnknownReason::AccessDenied)
        );
        assert!(!r.is_complete());
        assert_eq!(r.exit_code(Severity::Informational), crate::EXIT_INCOMPLETE);
    }

    #[test]
    fn an_incomplete_report_exits_4_even_with_failures() {
        // A failure and a failed read: the verdict is not final, so 4 wins; allowing an
        // incomplete scan still reports the failure (3), never 0.
        let mut s = unencrypted();
        sect(&mut s.services.iam).summary = denied("iam:GetAccountSummary");
        let r = engine().evaluate_at(&s, &Scope::default(), now()).unwrap();
        assert_eq!(
            status_of(&r, "s3.default_encryption", "phi-a"),
            Status::Fail
        );
        assert!(!r.is_complete());
        assert_eq!(r.exit_code(Severity::High), crate::EXIT_INCOMPLETE);
        let g = r.gate(Severity::High, false);
        assert_eq!((g.exit_code, g.ok), (crate::EXIT_INCOMPLETE, false));
        let g = r.gate(Severity::High, true);
        assert_eq!((g.exit_code, g.ok), (crate::EXIT_FAILURES, false));
        // Nothing at or above the threshold fails: allowed, it passes.
        let g = r.gate(Severity::Critical, true);
        assert_eq!((g.exit_code, g.ok), (crate::EXIT_CLEAN, true));
    }

    #[test]
    fn active_waiver_waives_and_expired_waiver_does_not() {
        let mut scope = Scope::default();
        scope
            .waivers
            .push(waiver(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()));
        let r = engine().evaluate_at(&unencrypted(), &scope, now()).unwrap();
        assert_eq!(
            status_of(&r, "s3.default_encryption", "phi-a"),
            Status::Waived
        );
        assert_eq!(r.waivers[0].findings_waived, 1);
        assert!(r.waivers[0].active);
        scope.waivers[0] = waiver(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        let r = engine().evaluate_at(&unencrypted(), &scope, now()).unwrap();
        let f = r
            .findings
            .iter()
            .find(|f| f.control_id == "s3.default_encryption")
            .unwrap();
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("expired"), "{}", f.message);
        assert!(!r.waivers[0].active);
    }

    #[test]
    fn attestations_pass_manual_controls_until_they_expire() {
        let text = r#"
[[attestation]]
control = "admin.risk_analysis"
by = "Jane Roe"
date = 2026-03-01
evidence = "risk-2026.pdf"
expires = 2027-03-01
"#;
        let mut scope = Scope {
            attestations: crate::attest::parse_attestations(text, "a.toml").unwrap(),
            ..Scope::default()
        };
        let s = snapshot_with(vec![bucket("b")]);
        let r = engine().evaluate_at(&s, &scope, now()).unwrap();
        let f = r
            .findings
            .iter()
            .find(|f| f.control_id == "admin.risk_analysis")
            .unwrap();
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("attested by Jane Roe") && f.attestation.is_some());
        let later = now() + chrono::Duration::days(400);
        let r = engine().evaluate_at(&s, &scope, later).unwrap();
        let f = r
            .findings
            .iter()
            .find(|f| f.control_id == "admin.risk_analysis")
            .unwrap();
        assert_eq!(f.status, Status::Manual);
        assert!(f.message.contains("expired"));
        scope.attestations[0].control = "s3.versioning".into();
        let e = engine()
            .evaluate_at(&s, &scope, now())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("not a manual control"), "{e}");
    }

    #[test]
    fn waiver_for_unknown_control_is_an_error() {
        let mut scope = Scope::default();
        let mut w = waiver(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        w.control = "s3.nope".into();
        scope.waivers.push(w);
        let e = engine()
            .evaluate_at(&unencrypted(), &scope, now())
            .unwrap_err()
            .to_string();
        assert!(e.contains("`s3.nope`"), "{e}");
    }

    #[test]
    fn phi_only_mode_skips_untagged_and_errors_on_unknown_tags() {
        let mut untagged = bucket("open");
        untagged.tags = Fact::Known(Default::default());
        untagged.encryption = Fact::Known(crate::services::s3::evidence::BucketEncryption::None);
        let mut unknown = bucket("dunno");
        unknown.tags = denied("s3:GetBucketTagging");
        let s = snapshot_with(vec![untagged, unknown]);
        let scope = Scope {
            mode: crate::scope::ScopeMode::PhiOnly,
            ..Scope::default()
        };
        let r = engine().evaluate_at(&s, &scope, now()).unwrap();
        assert_eq!(
            status_of(&r, "s3.default_encryption", "open"),
            Status::NotApplicable
        );
        assert_eq!(
            status_of(&r, "s3.default_encryption", "dunno"),
            Status::Error
        );
        // all mode still judges the untagged bucket
        let r = engine().evaluate_at(&s, &Scope::default(), now()).unwrap();
        assert_eq!(status_of(&r, "s3.default_encryption", "open"), Status::Fail);
    }

    #[test]
    fn exclusions_and_disabled_controls_drop_findings() {
        let scope = Scope {
            exclude: vec!["arn:aws:s3:::phi-*".into()],
            ..Scope::default()
        };
        let r = engine().evaluate_at(&unencrypted(), &scope, now()).unwrap();
        assert!(r.findings.iter().all(|f| f.resource.id != "phi-a"));
        let mut scope = Scope::default();
        scope.controls.disable.push("s3.default_encryption".into());
        scope
            .controls
            .severity
            .insert("s3.versioning".into(), Severity::Critical);
        let e = Engine::for_scope(&scope, None).unwrap();
        let r = e.evaluate_at(&unencrypted(), &scope, now()).unwrap();
        assert!(r
            .findings
            .iter()
            .all(|f| f.control_id != "s3.default_encryption"));
        assert!(r
            .findings
            .iter()
            .filter(|f| f.control_id == "s3.versioning")
            .all(|f| f.severity == Severity::Critical));
    }

    struct AlwaysFail;
    impl Check for AlwaysFail {
        fn control_id(&self) -> &str {
            "acme.custom"
        }
        fn evaluate(&self, ctx: &Context<'_>) -> Vec<Outcome> {
            vec![Outcome::account(ctx, Ok(Verdict::fail("custom says no")))]
        }
    }

    #[test]
    fn custom_checks_need_a_catalog_entry() {
        let mut e = engine();
        assert!(e.register(Arc::new(AlwaysFail)).is_err());
        let entry = r#"
[[control]]
id = "acme.custom"
title = "Custom"
category = "governance"
citations = ["164.308(a)(1)(i)"]
owner = "customer"
severity = "low"
resource_kind = "AwsAccount"
check = "automated"
rationale = "r"
remediation = { console = "c", cli = "x" }
"#;
        let registry = e.registry();
        e.catalog_mut()
            .extend_from_toml(entry, "acme.toml", registry)
            .unwrap();
        // An automated control without a check is an error, not a silent skip.
        assert!(e
            .evaluate_at(&unencrypted(), &Scope::default(), now())
            .is_err());
        e.register(Arc::new(AlwaysFail)).unwrap();
        let r = e
            .evaluate_at(&unencrypted(), &Scope::default(), now())
            .unwrap();
        assert_eq!(status_of(&r, "acme.custom", ACCOUNT), Status::Fail);
    }

    #[test]
    fn report_json_round_trips_and_renders() {
        let r = engine()
            .evaluate_at(&unencrypted(), &Scope::default(), now())
            .unwrap();
        let back = Report::from_json(&r.to_json(), "r.json").unwrap();
        assert_eq!(back, r);
        let md = r.to_markdown();
        assert!(md.contains("s3.default_encryption") && md.contains("## Failures"));
        let table = r.to_table(&Default::default());
        assert!(table.contains("FAIL") && table.contains("phi-a"));
        assert!(
            Report::from_json("{\"schema_version\":\"9.0\"}", "old.json")
                .unwrap_err()
                .to_string()
                .contains("old.json")
        );
        // A snapshot (numeric version) is named as another schema, not as a field of the wrong type.
        assert!(
            Report::from_json("{\"schema_version\":2,\"x\":[1]}", "snap.json")
                .unwrap_err()
                .to_string()
                .contains("unsupported schema_version")
        );
        assert!(Report::from_json("nope", "bad.json")
            .unwrap_err()
            .to_string()
            .contains("bad.json"));
    }

    #[test]
    fn summary_covers_every_citation_owner_and_safeguard() {
        let r = engine()
            .evaluate_at(&unencrypted(), &Scope::default(), now())
            .unwrap();
        assert_eq!(
            r.summary.by_citation.len(),
            r.summary
                .by_citation
                .iter()
                .map(|c| &c.citation)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        );
        assert!(
            r.summary.by_citation.iter().all(|c| c.status.is_some()),
            "a citation has no control"
        );
        for k in ["aws", "customer", "shared"] {
            assert!(r.summary.by_owner.contains_key(k), "{k}");
        }
        for k in [
            "administrative",
            "physical",
            "technical",
            "organizational",
            "documentation",
        ] {
            assert!(r.summary.by_safeguard.contains_key(k), "{k}");
        }
        let enc = r
            .summary
            .by_citation
            .iter()
            .find(|c| c.citation == "164.312(a)(2)(iv)")
            .unwrap();
        assert_eq!(enc.status, Some(Status::Fail));
    }

    #[test]
    fn earlier_control_ids_keep_working_with_a_notice() {
        // A waiver, a disable and a severity override written with ids from before the rename.
        let mut s = snapshot_with(vec![bucket("b")]);
        crate::testkit::at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![]);
        let mut scope = Scope::default();
        let mut w = waiver(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        w.control = "monitoring.guardduty_enabled".into();
        w.resource = "*".into();
        scope.waivers.push(w);
        scope
            .controls
            .severity
            .insert("logging.cloudtrail_kms".into(), Severity::Low);
        scope.controls.disable.push("network.vpc_flow_logs".into());
        let e = Engine::for_scope(&scope, None).unwrap();
        let r = e.evaluate_at(&s, &scope, now()).unwrap();
        assert_eq!(
            status_of(&r, "guardduty.enabled", &format!("{ACCOUNT}/us-east-1")),
            Status::Waived
        );
        assert!(r.findings.iter().all(|f| f.control_id != "vpc.flow_logs"));
        assert!(r
            .findings
            .iter()
            .filter(|f| f.control_id == "cloudtrail.kms_encryption")
            .all(|f| f.severity == Severity::Low));
        let notices = crate::notice::take().join("\n");
        for old in [
            "monitoring.guardduty_enabled",
            "logging.cloudtrail_kms",
            "network.vpc_flow_logs",
        ] {
            assert!(notices.contains(&format!("`{old}`")), "{notices}");
        }
        // Said once: the same ids again raise nothing new.
        let _ = Engine::for_scope(&scope, None)
            .unwrap()
            .evaluate_at(&s, &scope, now());
        assert!(!crate::notice::take()
            .iter()
            .any(|n| n.contains("monitoring.guardduty_enabled")));

        // A report saved before the rename reads with the current ids.
        let old = r
            .to_json()
            .replace("\"guardduty.enabled\"", "\"monitoring.guardduty_enabled\"");
        let back = Report::from_json(&old, "old.json").unwrap();
        assert!(back
            .findings
            .iter()
            .any(|f| f.control_id == "guardduty.enabled"));
        assert!(back
            .findings
            .iter()
            .all(|f| f.control_id != "monitoring.guardduty_enabled"));
    }
}
