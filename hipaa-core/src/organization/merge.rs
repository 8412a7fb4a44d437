//! `hipaa merge`: one organization report from reports of disjoint account sets (shards, or
//! separate runs). The result depends only on the set of inputs, never on their order or on how
//! they were grouped: every choice below is a maximum or a minimum over a total order, and the
//! organization controls are judged again over the merged accounts.

use super::assemble::{build, snapshot_info};
use super::{AccountEntry, Discovery, OrganizationSection};
use crate::catalog::CheckKind;
use crate::error::{Error, Result};
use crate::report::{Finding, Report};
use crate::scope::{Scope, Waiver};
use crate::Engine;
use std::collections::{BTreeMap, BTreeSet};

/// Which report wins when two hold results for the same account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prefer {
    /// Refuse to merge overlapping reports (the default).
    #[default]
    Refuse,
    /// The account's most recent scan wins.
    Newest,
    /// The account's earliest scan wins.
    Oldest,
    /// The input at this position wins (any other overlap: the newest).
    Input(usize),
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The framework reports to merge were grouped by, so that a merge keeps it when no other is
/// asked for. Reports of different frameworks, or of a framework file (which a report names but
/// does not carry), need the caller to say which framework the result follows.
pub fn framework_of(inputs: &[(String, Report)]) -> Result<crate::audit::FrameworkChoice> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, r) in inputs {
        seen.entry(r.framework.id.as_str()).or_insert(name.as_str());
    }
    let mut ids = seen.iter();
    let Some((id, name)) = ids.next() else {
        return Ok(Default::default());
    };
    if let Some((other, other_name)) = ids.next() {
        return Err(Error::Config(format!(
            "`{name}` is grouped by framework `{id}` and `{other_name}` by `{other}`: say which the merged report follows with --framework or --framework-file"
        )));
    }
    if crate::Framework::bundled(id).is_err() {
        return Err(Error::Config(format!(
            "`{name}` is grouped by framework `{id}`, which is not bundled: give its file with --framework-file"
        )));
    }
    Ok(crate::audit::FrameworkChoice {
        id: Some(id.to_string()),
        file: None,
    })
}

/// Merge organization reports (named for errors) into one, judging the organization controls
/// again under `scope` over every account. Reports of different organizations or scopes, account
/// reports, and overlapping accounts (unless `prefer` says which wins) are refused.
pub fn merge(
    engine: &Engine,
    scope: &Scope,
    inputs: &[(String, Report)],
    prefer: Prefer,
) -> Result<Report> {
    merge_owned(engine, scope, inputs.to_vec(), prefer)
}

/// [`merge`], taking the reports: their findings move into the result instead of being copied,
/// and each report is dropped once read, so merging needs about the memory of its inputs (what
/// `hipaa merge` and the bindings use).
pub fn merge_owned(
    engine: &Engine,
    scope: &Scope,
    inputs: Vec<(String, Report)>,
    prefer: Prefer,
) -> Result<Report> {
    let err = |name: &str, message: String| Error::Report {
        path: name.to_string(),
        message,
    };
    let Some((first_name, first)) = inputs.first() else {
        return Err(Error::Config(
            "nothing to merge: give at least one report".into(),
        ));
    };
    let mut orgs: Vec<&OrganizationSection> = Vec::with_capacity(inputs.len());
    for (name, r) in &inputs {
        let Some(org) = &r.organization else {
            return Err(err(
                name,
                "an account report, not an organization report: reports from `hipaa scan --organization` or `--accounts` merge".into(),
            ));
        };
        if r.scope != first.scope {
            return Err(err(
                name,
                format!("evaluated under another scope (mode, PHI tag or exclusions) than `{first_name}`"),
            ));
        }
        if org.partition
            != orgs
                .first()
                .map_or(org.partition.as_str(), |o| o.partition.as_str())
        {
            return Err(err(
                name,
                format!(
                    "is of partition `{}`, `{first_name}` of another",
                    org.partition
                ),
            ));
        }
        orgs.push(org);
    }
    let org_ids: BTreeSet<(&str, &str)> = inputs
        .iter()
        .zip(&orgs)
        .filter_map(|((name, _), o)| {
            o.view
                .organization
                .known()
                .and_then(|x| x.as_ref())
                .map(|x| (x.id.as_str(), name.as_str()))
        })
        .collect();
    let distinct: BTreeSet<&str> = org_ids.iter().map(|(id, _)| *id).collect();
    if distinct.len() > 1 {
        let named: Vec<String> = org_ids
            .iter()
            .map(|(id, n)| format!("`{n}` is of {id}"))
            .collect();
        return Err(err(
            org_ids.iter().next().map_or("", |(_, n)| n),
            format!(
                "reports of different organizations do not merge: {}",
                named.join(", ")
            ),
        ));
    }
    // The view: the newest one that knows the organization (ties broken by content).
    let chosen = orgs
        .iter()
        .max_by_key(|o| {
            (
                o.view.organization.known().is_some_and(|x| x.is_some()),
                o.view_taken_at,
                json(&o.view),
                json(&o.view_reads),
            )
        })
        .copied()
        .unwrap_or(orgs[0]);
    // Each account from the one report that scanned it.
    let mut candidates: BTreeMap<&str, Vec<(usize, &AccountEntry)>> = BTreeMap::new();
    for (i, o) in orgs.iter().enumerate() {
        for e in &o.accounts {
            candidates.entry(e.id.as_str()).or_default().push((i, e));
        }
    }
    let mut winners: BTreeMap<String, usize> = BTreeMap::new();
    let mut accounts = Vec::with_capacity(candidates.len());
    for (id, cands) in &candidates {
        let real: Vec<(usize, &AccountEntry)> = cands
            .iter()
            .copied()
            .filter(|(_, e)| e.attempted())
            .collect();
        fn newest<'e>(list: &[(usize, &'e AccountEntry)]) -> Option<(usize, &'e AccountEntry)> {
            list.iter()
                .copied()
                .max_by_key(|(_, e)| (e.taken_at(), json(*e)))
        }
        let pick = match real.len() {
            0 => cands.iter().copied().min_by_key(|(_, e)| {
                let rank = match &e.scan {
                    super::AccountScan::NotScanned { why } => Some(*why),
                    _ => None,
                };
                (rank, json(*e))
            }),
            1 => real.first().copied(),
            _ => match prefer {
                Prefer::Refuse => {
                    return Err(err(
                        &inputs[real[1].0].0,
                        format!(
                            "account `{id}` is also in `{}`: the reports overlap; say which wins with --prefer newest|oldest or --prefer-report FILE",
                            inputs[real[0].0].0
                        ),
                    ))
                }
                Prefer::Newest => newest(&real),
                Prefer::Oldest => real
                    .iter()
                    .copied()
                    .min_by_key(|(_, e)| (e.taken_at(), json(*e))),
                Prefer::Input(k) => real
                    .iter()
                    .copied()
                    .find(|(i, _)| *i == k)
                    .or_else(|| newest(&real)),
            },
        };
        if let Some((i, e)) = pick {
            if e.attempted() {
                winners.insert(id.to_string(), i);
            }
            accounts.push(e.clone());
        }
    }
    let scope = engine.checked_scope(scope)?.into_owned();
    // Waivers: the scope's, then any other an input applied, in a fixed order.
    let mut extra: Vec<Waiver> = inputs
        .iter()
        .flat_map(|(_, r)| r.waivers.iter().map(|w| w.waiver.clone()))
        .filter(|w| !scope.waivers.contains(w))
        .collect();
    extra.sort_by_key(json);
    extra.dedup();
    let all_waivers: Vec<&Waiver> = scope.waivers.iter().chain(&extra).collect();
    let organization_level = |f: &Finding| {
        engine
            .catalog()
            .get(&f.control_id)
            .is_some_and(|c| c.check != CheckKind::Automated)
    };
    let mut shards: Vec<String> = orgs.iter().flat_map(|o| o.shards.iter().cloned()).collect();
    shards.sort();
    shards.dedup();
    let section = OrganizationSection {
        discovery: if orgs.iter().any(|o| o.discovery == Discovery::Organization) {
            Discovery::Organization
        } else {
            Discovery::Named
        },
        partition: chosen.partition.clone(),
        caller: chosen.caller.clone(),
        role_name: chosen.role_name.clone(),
        view: chosen.view.clone(),
        view_taken_at: chosen.view_taken_at,
        view_reads: chosen.view_reads.clone(),
        accounts,
        shards,
    };
    let sources: BTreeSet<&str> = inputs
        .iter()
        .flat_map(|(_, r)| r.snapshot.source.split("; "))
        .collect();
    let info = snapshot_info(&section, sources.into_iter());
    let now = inputs
        .iter()
        .map(|(_, r)| r.generated_at)
        .max()
        .unwrap_or(first.generated_at);
    // Every borrow of the inputs ends here: their findings move into the result, one report at
    // a time, each dropped when read.
    let waiver_slots: Vec<Vec<Option<usize>>> = inputs
        .iter()
        .map(|(_, r)| {
            r.waivers
                .iter()
                .map(|ws| all_waivers.iter().position(|w| *w == &ws.waiver))
                .collect()
        })
        .collect();
    let mut findings = Vec::new();
    let mut pool = crate::report::shared_text::TextPool::default();
    for (i, (_, r)) in inputs.into_iter().enumerate() {
        for mut f in r.findings {
            if organization_level(&f) {
                continue;
            }
            let account = f
                .account
                .take()
                .unwrap_or_else(|| f.resource.account.clone());
            if winners.get(&account) != Some(&i) {
                continue;
            }
            f.account = Some(account);
            pool.share(&mut f);
            f.waiver = f.waiver.and_then(|w| {
                waiver_slots
                    .get(i)
                    .and_then(|slots| slots.get(w))
                    .copied()
                    .flatten()
            });
            findings.push(f);
        }
    }
    build(engine, &scope, section, findings, extra, info, now)
}
