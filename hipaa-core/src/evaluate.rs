//! The engine: runs every enabled control over a snapshot and applies scope and waivers.

use crate::catalog::{Catalog, CheckKind, Control};
use crate::error::{Error, Result};
use crate::evidence::Snapshot;
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
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("controls", &self.catalog.controls().len())
            .field("checks", &self.checks.len())
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
        for w in &scope.waivers {
            if self.catalog.get(&w.control).is_none() {
                return Err(Error::Scope {
                    path: "scope".into(),
                    message: format!("waiver names unknown control `{}`", w.control),
                });
            }
        }
        let ctx = Context {
            snapshot,
            scope,
            now,
        };
        let today = now.date_naive();
        let mut waiver_use = vec![0usize; scope.waivers.len()];
        let mut findings = Vec::new();
        for control in self.catalog.enabled() {
            let outcomes = match control.check {
                CheckKind::Automated => {
                    let check = self.checks.get(&control.id).ok_or_else(|| Error::Check {
                        control_id: control.id.clone(),
                        message: "no check is registered for this automated control".into(),
                    })?;
                    check.evaluate(&ctx)
                }
                CheckKind::Manual => vec![Outcome::account(&ctx, Ok(crate::rules::Verdict::manual("needs an attestation: no API can show this")))],
                CheckKind::Inherited => vec![Outcome::account(
                    &ctx,
                    Ok(crate::rules::Verdict {
                        status: Status::Inherited,
                        message: "met by AWS under the shared-responsibility model; evidence is AWS's audit reports in AWS Artifact".into(),
                    }),
                )],
            };
            for o in outcomes {
                if scope.is_excluded(&o.resource.arn, &o.resource.id) {
                    continue;
                }
                findings.push(self.finding(control, o, scope, today, &mut waiver_use));
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
            self.registry,
            &self.catalog,
            snapshot,
            scope,
            findings,
            waivers,
            now,
        ))
    }

    fn finding(
        &self,
        control: &Control,
        o: Outcome,
        scope: &Scope,
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
        Finding {
            control_id: control.id.clone(),
            title: control.title.clone(),
            category: control.category,
            citations: control.citations.clone(),
            owner: control.owner,
            severity: control.severity,
            status,
            resource,
            message,
            remediation: control.remediation.clone(),
            reason: unknown.map(|u| u.reason),
            waiver,
        }
    }
}
