//! What every rule shares: the [`Context`] it reads, the [`Outcome`]s it returns, the
//! [`Resource`] a finding is about, the PHI mark, and the way to reach a service's section.
//!
//! The rules themselves live with their service (`services/<service>/rules.rs`), one short
//! function per automated control; everything else about a control (title, citations, owner,
//! severity, remediation) comes from the catalog.

use crate::evidence::{RegionEvidence, Regional, Snapshot, Unknown, UnknownReason};
use crate::scope::Scope;
use crate::vocabulary::Status;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What every rule sees: the evidence, the scope and the evaluation time.
pub struct Context<'a> {
    /// The evidence.
    pub snapshot: &'a Snapshot,
    /// The scope (thresholds, PHI rule, accounts).
    pub scope: &'a Scope,
    /// "Now", fixed for the whole evaluation so results are reproducible.
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    /// The account id, or a placeholder when STS could not tell.
    pub fn account_id(&self) -> String {
        self.snapshot
            .account
            .known()
            .cloned()
            .unwrap_or_else(|| "unknown".into())
    }

    /// The account as a resource, for account-level controls.
    pub fn account_resource(&self) -> Resource {
        let id = self.account_id();
        Resource {
            arn: format!("arn:{}:iam::{}:root", self.snapshot.partition, id),
            id: id.clone(),
            kind: "AwsAccount".into(),
            account: id,
            region: None,
            name: None,
            phi: None,
        }
    }
}

impl Context<'_> {
    /// One region of the account as a resource, for per-region controls (its own ARN, so findings
    /// of different regions never share a key in diffs, SARIF or ASFF).
    pub fn region_resource(&self, region: &str) -> Resource {
        let account = self.account_id();
        Resource {
            arn: format!(
                "arn:{}:account:{region}:{account}:account",
                self.snapshot.partition
            ),
            id: format!("{account}/{region}"),
            kind: "AwsAccountRegion".into(),
            account,
            region: Some(region.to_string()),
            name: None,
            phi: None,
        }
    }
}

/// A custom control decided in Rust; register it on the [`crate::Engine`] with its catalog entry.
pub trait Check: Send + Sync {
    /// The catalog id this check decides.
    fn control_id(&self) -> &str;
    /// Judge every relevant resource.
    fn evaluate(&self, ctx: &Context<'_>) -> Vec<Outcome>;
}

/// A built-in check: an id and a plain function.
pub(crate) struct RuleFn {
    pub id: &'static str,
    pub f: fn(&Context<'_>) -> Vec<Outcome>,
}

impl Check for RuleFn {
    fn control_id(&self) -> &str {
        self.id
    }
    fn evaluate(&self, ctx: &Context<'_>) -> Vec<Outcome> {
        (self.f)(ctx)
    }
}

/// Every built-in rule, by control id.
pub(crate) fn builtin() -> Vec<RuleFn> {
    crate::services::rules()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

impl<'a> Context<'a> {
    /// What stands in for a service section the snapshot lacks: for infrastructure code, the
    /// control is judged on the live account (NOT_APPLICABLE); for an account, the evidence was
    /// not collected (ERROR).
    pub fn absent(&self, service: &str) -> Vec<Outcome> {
        if self.snapshot.provenance.is_template() {
            vec![Outcome::account(
                self,
                Ok(Verdict::not_applicable(
                    "judged on the live account, not from a template",
                )),
            )]
        } else {
            vec![Outcome::error(
                self.account_resource(),
                PhiMark::Account,
                Unknown::new(
                    UnknownReason::NotCollected,
                    "snapshot",
                    format!("this snapshot has no {service} evidence"),
                ),
            )]
        }
    }

    /// A global service's section, or the outcomes that stand for its absence.
    pub fn global<T>(&self, section: &'a Option<T>, service: &str) -> Result<&'a T, Vec<Outcome>> {
        section.as_ref().ok_or_else(|| self.absent(service))
    }

    /// A regional service's evidence for every scanned region (see [`Snapshot::walk`]), or the
    /// outcomes that stand for the section's absence. `what` names the evidence in reasons.
    pub fn regions<T>(
        &self,
        section: &'a Option<Regional<T>>,
        service: &str,
        what: &str,
    ) -> Result<Vec<RegionEvidence<'a, T>>, Vec<Outcome>> {
        let s = self.global(section, service)?;
        Ok(self.snapshot.walk(s, what))
    }
}

impl Resource {
    /// A regional resource of the scanned account (the ARN's account wins when it names one).
    pub fn regional(
        ctx: &Context<'_>,
        arn: &str,
        id: &str,
        kind: &str,
        region: &str,
        phi: &PhiMark,
    ) -> Resource {
        Resource {
            arn: arn.to_string(),
            id: id.to_string(),
            kind: kind.to_string(),
            account: crate::aws::arn::account(arn).map_or_else(|| ctx.account_id(), str::to_string),
            region: Some(region.to_string()),
            name: None,
            phi: phi.flag(),
        }
    }
}

/// Judge every item of one regional listing: an unknown listing (or a scanned region without
/// evidence) is one ERROR for its region, and when no region lists anything, one
/// NOT_APPLICABLE naming `what`.
pub(crate) fn each_listed<'a, R, T: 'a>(
    ctx: &Context<'a>,
    regions: Vec<RegionEvidence<'a, R>>,
    what: &str,
    list: impl Fn(&'a R) -> &'a crate::evidence::Fact<Vec<T>>,
    judge: impl Fn(&'a str, &'a T) -> Outcome,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for region in regions {
        match region.get(&list) {
            Ok(items) => out.extend(items.iter().map(|i| judge(region.name, i))),
            Err(u) => out.push(Outcome::error(
                ctx.region_resource(region.name),
                PhiMark::Account,
                u,
            )),
        }
    }
    if out.is_empty() {
        return none_found(ctx, what);
    }
    out
}

/// Judge every scanned region of a regional section, one finding per region.
pub(crate) fn each_region<'a, R>(
    ctx: &Context<'a>,
    regions: Vec<RegionEvidence<'a, R>>,
    judge: impl Fn(&RegionEvidence<'a, R>) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    if regions.is_empty() {
        return none_found(ctx, "scanned regions");
    }
    regions
        .iter()
        .map(|r| Outcome::from_result(ctx.region_resource(r.name), PhiMark::Account, judge(r)))
        .collect()
}

/// The value of a section lookup, or return its outcomes from the rule.
macro_rules! section {
    ($lookup:expr) => {
        match $lookup {
            Ok(v) => v,
            Err(outcomes) => return outcomes,
        }
    };
}
pub(crate) use section;

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// ARN (for account-level findings, the account root ARN).
    pub arn: String,
    /// Short id (bucket name, key id, user name, account id).
    pub id: String,
    /// `AwsS3Bucket`, `AwsKmsKey`, `AwsIamUser`, `AwsIamRole`, `AwsIamGroup`, `AwsIamPolicy`, `AwsAccount`.
    pub kind: String,
    /// Account id.
    pub account: String,
    /// Region, for regional resources.
    pub region: Option<String>,
    /// A readable name when the id is opaque (KMS alias).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether it carries the PHI tag (`None` for account-level or when tags are unknown).
    #[serde(default)]
    pub phi: Option<bool>,
}

/// Whether a resource holds PHI, as far as its tags tell.
#[derive(Debug, Clone, PartialEq)]
pub enum PhiMark {
    /// Account-level: always in scope.
    Account,
    /// Carries the PHI tag.
    Tagged,
    /// Does not carry it.
    NotTagged,
    /// Tags could not be read.
    Unknown(Unknown),
}

impl PhiMark {
    /// How these tags mark a resource under the scope's PHI rule (unknown tags stay unknown).
    pub fn of(
        rule: &crate::scope::PhiRule,
        tags: &crate::evidence::Fact<crate::evidence::Tags>,
    ) -> PhiMark {
        match tags {
            crate::evidence::Fact::Known(t) if rule.matches(t) => PhiMark::Tagged,
            crate::evidence::Fact::Known(_) => PhiMark::NotTagged,
            crate::evidence::Fact::Unknown(u) => PhiMark::Unknown(u.clone()),
        }
    }

    /// How these (known) tags mark a resource under the scope's PHI rule.
    pub fn of_known(rule: &crate::scope::PhiRule, tags: &crate::evidence::Tags) -> PhiMark {
        if rule.matches(tags) {
            PhiMark::Tagged
        } else {
            PhiMark::NotTagged
        }
    }

    /// The `phi` flag a [`Resource`] carries: known only for tagged or untagged resources.
    pub fn flag(&self) -> Option<bool> {
        match self {
            PhiMark::Tagged => Some(true),
            PhiMark::NotTagged => Some(false),
            PhiMark::Account | PhiMark::Unknown(_) => None,
        }
    }
}

/// One rule result before the catalog's metadata, scope and waivers are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The resource.
    pub resource: Resource,
    /// PASS, FAIL, ERROR, NOT_APPLICABLE or MANUAL.
    pub status: Status,
    /// Why, in one sentence with the facts.
    pub message: String,
    /// PHI marking, used by the `phi-only` scope mode.
    pub phi: PhiMark,
    /// For ERROR: the failed read.
    pub unknown: Option<Unknown>,
}

/// A rule's judgement of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The status.
    pub status: Status,
    /// The message.
    pub message: String,
}

impl Verdict {
    /// Meets the control.
    pub fn pass(m: impl Into<String>) -> Self {
        Verdict {
            status: Status::Pass,
            message: m.into(),
        }
    }
    /// Does not meet it.
    pub fn fail(m: impl Into<String>) -> Self {
        Verdict {
            status: Status::Fail,
            message: m.into(),
        }
    }
    /// Does not apply to this resource.
    pub fn not_applicable(m: impl Into<String>) -> Self {
        Verdict {
            status: Status::NotApplicable,
            message: m.into(),
        }
    }
    /// Needs a human attestation.
    pub fn manual(m: impl Into<String>) -> Self {
        Verdict {
            status: Status::Manual,
            message: m.into(),
        }
    }
}

impl Outcome {
    /// Build an outcome from a rule's result, turning a failed read into ERROR.
    pub fn from_result(resource: Resource, phi: PhiMark, r: Result<Verdict, Unknown>) -> Outcome {
        match r {
            Ok(v) => Outcome {
                resource,
                status: v.status,
                message: v.message,
                phi,
                unknown: None,
            },
            Err(u) => Outcome::error(resource, phi, u),
        }
    }

    /// ERROR: insufficient data.
    pub fn error(resource: Resource, phi: PhiMark, u: Unknown) -> Outcome {
        Outcome {
            resource,
            status: Status::Error,
            message: format!("insufficient data: {u}"),
            phi,
            unknown: Some(u),
        }
    }

    /// The same judgement about another resource.
    pub fn with_resource(mut self, resource: Resource) -> Outcome {
        self.resource = resource;
        self
    }

    /// An account-level outcome.
    pub fn account(ctx: &Context<'_>, r: Result<Verdict, Unknown>) -> Outcome {
        Outcome::from_result(ctx.account_resource(), PhiMark::Account, r)
    }
}

/// The standard "nothing of this kind exists" outcome, distinct from "listing failed".
pub(crate) fn none_found(ctx: &Context<'_>, what: &str) -> Vec<Outcome> {
    vec![Outcome::account(
        ctx,
        Ok(Verdict::not_applicable(format!("no {what} found"))),
    )]
}
