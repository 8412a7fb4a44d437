//! The organization report from account snapshots, shards and their merge.

use super::*;
use crate::evidence::{Fact, Snapshot};
use crate::services::org::tests::{view, DEV, PHI_A, PHI_B};
use crate::testkit::*;
use crate::vocabulary::Status::{self, *};
use crate::{Engine, Report, Severity};
use proptest::prelude::*;

fn engine() -> Engine {
    Engine::bundled().unwrap()
}

/// A compliant account snapshot; `phi` keeps its PHI-tagged resources, `guardduty` its detector.
fn member_snapshot(id: &str, phi: bool, guardduty: bool) -> Snapshot {
    let mut s = snapshot_with(vec![bucket(&format!("phi-{id}"))]);
    s.account = Fact::Known(id.into());
    known(&mut sect(&mut s.services.baa).agreements)[0].account = Some(id.into());
    if !guardduty {
        at(&mut s.services.guardduty, "us-east-1").detectors = Fact::Known(vec![]);
    }
    if !phi {
        // Every service's fixture tags some stores as PHI: re-tag them all, whatever the service.
        let text = serde_json::to_string(&s).unwrap();
        s = serde_json::from_str(
            &text.replace("\"DataClass\":\"PHI\"", "\"DataClass\":\"Internal\""),
        )
        .unwrap();
    }
    s
}

fn member(id: &str) -> Member {
    let v = view();
    Member {
        id: id.into(),
        name: v.account(id).map(|a| a.name.clone()),
        status: Some("ACTIVE".into()),
        parents: v.parents(id),
    }
}

fn facts(shard: Option<Shard>) -> ScanFacts {
    ScanFacts {
        discovery: Discovery::Organization,
        partition: "aws".into(),
        caller: Some(MANAGEMENT.into()),
        role_name: "OrganizationAccountAccessRole".into(),
        view: view(),
        view_taken_at: now(),
        view_reads: Default::default(),
        shard,
        source: "test".into(),
    }
}

/// One account's result: PHI_A holds PHI, DEV has GuardDuty off, PHI_B cannot be entered.
fn result(e: &Engine, id: &str) -> AccountResult {
    let scope = Scope::default();
    if id == PHI_B {
        return e
            .unreachable_member(
                &member(id),
                &format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole"),
                crate::UnknownReason::AccessDenied,
                "AccessDenied: not authorized to perform sts:AssumeRole",
                "aws",
                &scope,
                now(),
            )
            .unwrap();
    }
    let snap = member_snapshot(id, id == PHI_A, id != DEV);
    e.evaluate_member(&snap, &member(id), "caller credentials", &scope, now())
        .unwrap()
}

const ALL: [&str; 4] = [MANAGEMENT, PHI_A, PHI_B, DEV];

/// The report of one scan of every account (or of one shard's accounts).
fn scan(shard: Option<Shard>) -> Report {
    let e = engine();
    let plan = Plan::organization(&view(), &Scope::default(), &[], shard);
    let results = plan.scan.iter().map(|m| result(&e, &m.id)).collect();
    e.organization_report(
        facts(shard),
        results,
        plan.skipped,
        &Scope::default(),
        now(),
    )
    .unwrap()
}

fn find<'a>(r: &'a Report, control: &str, resource: &str) -> &'a crate::Finding {
    r.findings
        .iter()
        .find(|f| f.control_id == control && f.resource.id == resource)
        .unwrap_or_else(|| panic!("no {control} on {resource}"))
}

#[test]
fn one_report_for_the_organization() {
    let r = scan(None);
    let org = r.organization.as_ref().unwrap();
    assert_eq!(org.accounts.len(), 4);
    // Every finding carries its account; every account's automated controls are there.
    assert!(r.findings.iter().all(|f| f.account.is_some()));
    for id in ALL {
        assert!(
            r.findings
                .iter()
                .any(|f| f.account.as_deref() == Some(id) && f.control_id == "iam.root_mfa"),
            "{id}"
        );
    }
    // The seeded problems, per account and for the organization.
    assert_eq!(
        find(&r, "guardduty.enabled", &format!("{DEV}/us-east-1")).status,
        Fail
    );
    let g = find(&r, "org.guardduty_all_accounts", "o-test");
    assert_eq!(g.status, Fail);
    assert!(g.message.contains("dev (333333333333)"), "{}", g.message);
    let s = find(&r, "org.account_scanned", PHI_B);
    assert_eq!(s.status, Error);
    assert!(
        s.message.contains("OrganizationAccountAccessRole") && s.message.contains("AccessDenied")
    );
    // The unreachable account: every automated control that needs a read is ERROR, naming the role.
    let b: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.account.as_deref() == Some(PHI_B) && f.control_id != "org.account_scanned")
        .collect();
    assert!(!b.is_empty());
    for f in &b {
        assert_ne!(
            f.status, Pass,
            "{} passes in an unreachable account",
            f.control_id
        );
        if f.status == Error {
            assert!(f.message.contains("could not be assumed"), "{}", f.message);
        }
    }
    assert_eq!(find(&r, "org.baa_covers_phi_accounts", PHI_A).status, Pass);
    assert_eq!(find(&r, "org.baa_covers_phi_accounts", PHI_B).status, Error);
    // Controls no API can show: once, for the organization.
    let manual: Vec<_> = r.findings.iter().filter(|f| f.status == Manual).collect();
    assert!(!manual.is_empty() && manual.iter().all(|f| f.resource.kind == "AwsOrganization"));
    assert_eq!(
        manual.len(),
        engine()
            .catalog()
            .controls()
            .iter()
            .filter(|c| c.check == crate::CheckKind::Manual)
            .count()
    );
    // Incomplete (one account could not be entered), and failures: 4.
    assert_eq!(r.exit_code(Severity::Informational), crate::EXIT_INCOMPLETE);
    assert!(r
        .summary
        .completeness
        .failed_reads
        .iter()
        .any(|f| f.operation == "sts:AssumeRole" && f.account.as_deref() == Some(PHI_B)));
    // Summaries per account and per OU.
    let by: Vec<(&str, &str)> = r
        .summary
        .by_account
        .iter()
        .map(|a| (a.account.as_str(), a.state.as_str()))
        .collect();
    assert_eq!(
        by,
        vec![
            (PHI_A, "scanned"),
            (PHI_B, "unreachable"),
            (DEV, "scanned"),
            (MANAGEMENT, "scanned")
        ]
    );
    let a = r
        .summary
        .by_account
        .iter()
        .find(|a| a.account == PHI_A)
        .unwrap();
    assert_eq!(
        (a.baa, a.holds_phi, a.complete),
        (BaaState::Covered, Some(true), true)
    );
    assert!(a.totals.pass > 0);
    let dev = r
        .summary
        .by_account
        .iter()
        .find(|a| a.account == DEV)
        .unwrap();
    assert_eq!((dev.totals.fail > 0, dev.holds_phi), (true, Some(false)));
    let ous: Vec<(&str, usize, usize)> = r
        .summary
        .by_ou
        .iter()
        .map(|o| (o.id.as_str(), o.depth, o.accounts.len()))
        .collect();
    assert_eq!(
        ous,
        vec![("r-root", 0, 4), ("ou-dev", 1, 2), ("ou-phi", 1, 1)]
    );
    // The JSON round-trips, keeps schema 1.x, and every format renders.
    let back = Report::from_json(&r.to_json(), "org.json").unwrap();
    assert_eq!(back, r);
    assert!(r.schema_version.starts_with("1."));
    for f in crate::report::Format::ALL {
        assert!(!r.render(f).is_empty(), "{f:?}");
    }
    let html = r.render(crate::report::Format::Html);
    assert!(
        html.contains("id=\"accounts\"") && html.contains(&format!("id=\"account-{DEV}\"")),
        "no account table"
    );
    assert!(r
        .to_table(&Default::default())
        .contains("Organization o-test (4 accounts)"));
    assert!(r.to_markdown().contains("## Accounts"));
}

#[test]
fn an_account_report_is_unchanged_by_the_organization_controls() {
    let r = engine()
        .evaluate_at(&snapshot_with(vec![bucket("b")]), &Scope::default(), now())
        .unwrap();
    assert!(r.organization.is_none() && r.summary.by_account.is_empty());
    assert!(r
        .findings
        .iter()
        .all(|f| !f.control_id.starts_with("org.") && f.account.is_none()));
    let json = r.to_json();
    for absent in ["\"organization\"", "\"by_account\"", "\"by_ou\""] {
        assert!(!json.contains(absent), "{absent}");
    }
}

#[test]
fn the_plan_lists_every_account_with_why_it_is_skipped() {
    let mut v = view();
    if let Fact::Known(list) = &mut v.accounts {
        list[3].status = "SUSPENDED".into();
    }
    let mut scope = Scope::default();
    scope.organization.exclude.push(PHI_B.into());
    let p = Plan::organization(&v, &scope, &["ou-phi".to_string()], None);
    let scan: Vec<&str> = p.scan.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(scan, vec![PHI_A]);
    let skipped: Vec<(&str, NotScanned)> =
        p.skipped.iter().map(|(m, w)| (m.id.as_str(), *w)).collect();
    assert_eq!(
        skipped,
        vec![
            (PHI_B, NotScanned::Excluded),
            (DEV, NotScanned::Inactive),
            (MANAGEMENT, NotScanned::OutsideOus)
        ]
    );
    // Shards: disjoint, and together every account.
    let mut seen = Vec::new();
    for i in 0..3 {
        let p = Plan::organization(
            &view(),
            &Scope::default(),
            &[],
            Some(Shard::new(i, 3).unwrap()),
        );
        seen.extend(p.scan.into_iter().map(|m| m.id));
    }
    seen.sort();
    let mut all: Vec<String> = ALL.iter().map(|s| s.to_string()).collect();
    all.sort();
    assert_eq!(seen, all);
    let named = Plan::named(&[DEV.into(), PHI_A.into(), DEV.into()], &scope, None);
    assert_eq!(named.scan.len(), 2);
}

/// The shard reports of the organization among `n` workers.
fn shards(n: u32) -> Vec<(String, Report)> {
    (0..n)
        .map(|i| {
            (
                format!("shard-{i}.json"),
                scan(Some(Shard::new(i, n).unwrap())),
            )
        })
        .collect()
}

fn merged(inputs: &[(String, Report)]) -> Report {
    merge(&engine(), &Scope::default(), inputs, Prefer::Refuse).unwrap()
}

#[test]
fn merged_shards_equal_one_whole_scan() {
    let whole = scan(None);
    let mut m = merged(&shards(3));
    let org = m.organization.as_mut().unwrap();
    assert_eq!(org.shards, vec!["0/3", "1/3", "2/3"]);
    org.shards.clear();
    assert_eq!(m.to_json(), whole.to_json());
    // A shard alone does not know the others' accounts: ERROR, never PASS.
    let (_, one) = &shards(3)[0];
    let unknown: Vec<_> = one
        .findings
        .iter()
        .filter(|f| f.control_id == "org.account_scanned" && f.status == Error)
        .collect();
    assert!(!unknown.is_empty());
}

#[test]
fn overlapping_reports_are_refused_unless_told_which_wins() {
    let a = ("a.json".to_string(), scan(None));
    let mut later = scan(None);
    for e in &mut later.organization.as_mut().unwrap().accounts {
        if let AccountScan::Scanned { taken_at, .. } = &mut e.scan {
            *taken_at += chrono::Duration::hours(1);
        }
    }
    let b = ("b.json".to_string(), later);
    let e = merge(
        &engine(),
        &Scope::default(),
        &[a.clone(), b.clone()],
        Prefer::Refuse,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("b.json") && e.contains("a.json") && e.contains("overlap"),
        "{e}"
    );
    let newest = merge(
        &engine(),
        &Scope::default(),
        &[a.clone(), b.clone()],
        Prefer::Newest,
    )
    .unwrap();
    let oldest = merge(
        &engine(),
        &Scope::default(),
        &[b.clone(), a.clone()],
        Prefer::Oldest,
    )
    .unwrap();
    let when = |r: &Report| {
        r.organization
            .as_ref()
            .unwrap()
            .accounts
            .iter()
            .filter_map(|e| e.taken_at())
            .max()
    };
    assert_eq!(when(&newest), Some(now() + chrono::Duration::hours(1)));
    assert_eq!(when(&oldest), Some(now()));
    let first = merge(
        &engine(),
        &Scope::default(),
        &[a.clone(), b],
        Prefer::Input(0),
    )
    .unwrap();
    assert_eq!(when(&first), Some(now()));
    // Account reports, reports under other scopes, and nothing at all are refused.
    let single = (
        "one.json".to_string(),
        engine()
            .evaluate_at(&base(), &Scope::default(), now())
            .unwrap(),
    );
    let e = merge(
        &engine(),
        &Scope::default(),
        &[a.clone(), single],
        Prefer::Refuse,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("one.json") && e.contains("account report"),
        "{e}"
    );
    let mut other = scan(None);
    other.scope.mode = crate::scope::ScopeMode::PhiOnly;
    let e = merge(
        &engine(),
        &Scope::default(),
        &[a, ("p.json".into(), other)],
        Prefer::Refuse,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("p.json") && e.contains("another scope"), "{e}");
    assert!(merge(&engine(), &Scope::default(), &[], Prefer::Refuse).is_err());
}

/// Merge by a random binary tree over the inputs in the order given.
fn merge_tree(items: &[(String, Report)], choices: &[usize], at: &mut usize) -> Report {
    if items.len() == 1 {
        return items[0].1.clone();
    }
    let c = choices.get(*at).copied().unwrap_or(0);
    *at += 1;
    let split = 1 + c % (items.len() - 1);
    let left = merge_tree(&items[..split], choices, at);
    let right = merge_tree(&items[split..], choices, at);
    merged(&[("left".into(), left), ("right".into(), right)])
}

fn shard_reports() -> &'static Vec<(String, Report)> {
    static CELL: std::sync::OnceLock<Vec<(String, Report)>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| shards(4))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// However the shard reports are ordered and grouped, the merged report is the same.
    #[test]
    fn merge_is_associative_and_commutative(
        order in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        choices in proptest::collection::vec(0usize..8, 8),
    ) {
        let inputs = shard_reports();
        let want = merged(inputs).to_json();
        let permuted: Vec<(String, Report)> = order.iter().map(|i| inputs[*i].clone()).collect();
        let mut at = 0;
        let got = merge_tree(&permuted, &choices, &mut at);
        prop_assert_eq!(got.to_json(), want);
    }
}

#[test]
fn posture_judgements_fold_failures_over_errors_over_passes() {
    let s = member_snapshot(DEV, false, false);
    let p = Posture::of(&s, &Scope::default(), now());
    assert_eq!(p.guardduty.status, Fail);
    assert_eq!(p.holds_phi, Fact::Known(false));
    assert_eq!(p.securityhub.status, Pass);
    let s = member_snapshot(PHI_A, true, true);
    let p = Posture::of(&s, &Scope::default(), now());
    assert_eq!(
        (p.holds_phi.clone(), p.baa.status),
        (Fact::Known(true), Pass)
    );
    let mut s = member_snapshot(PHI_A, false, true);
    at(&mut s.services.scope, "us-east-1").resources = denied("tag:GetResources");
    let p = Posture::of(&s, &Scope::default(), now());
    assert!(p.holds_phi.is_unknown());
    let statuses: Vec<Status> = vec![Pass, Error, Fail];
    let _ = statuses;
}

#[test]
fn findings_of_a_control_share_its_text_when_merged_and_when_read_back() {
    use std::sync::Arc;
    fn shared(r: &Report) {
        let same: Vec<&crate::Finding> = r
            .findings
            .iter()
            .filter(|f| f.control_id == "iam.root_mfa")
            .collect();
        assert!(same.len() > 1);
        for w in same.windows(2) {
            assert!(Arc::ptr_eq(&w[0].title, &w[1].title));
            assert!(Arc::ptr_eq(&w[0].citations, &w[1].citations));
            assert!(Arc::ptr_eq(&w[0].remediation, &w[1].remediation));
        }
    }
    let m = merged(&shards(3));
    shared(&m);
    let back = Report::from_json(&m.to_json(), "org.json").unwrap();
    shared(&back);
    assert_eq!(back, m);
}

#[test]
fn a_readiness_report_of_the_organization_has_its_changes_and_each_accounts_network_map() {
    let mut e = engine();
    e.set_framework(crate::framework::Framework::bundled("hipaa-nprm-2025").unwrap())
        .unwrap();
    let plan = Plan::organization(&view(), &Scope::default(), &[], None);
    let results: Vec<AccountResult> = plan.scan.iter().map(|m| result(&e, &m.id)).collect();
    let r = e
        .organization_report(facts(None), results, plan.skipped, &Scope::default(), now())
        .unwrap();
    assert!(r.framework.is_proposed());
    assert!(r.readiness.as_ref().is_some_and(|c| !c.is_empty()));
    let org = r.organization.as_ref().unwrap();
    let mapped: Vec<&str> = org
        .accounts
        .iter()
        .filter(|a| {
            matches!(
                &a.scan,
                AccountScan::Scanned {
                    network_map: Some(_),
                    ..
                }
            )
        })
        .map(|a| a.id.as_str())
        .collect();
    // Every account that was read has its map; the one that could not be entered has none.
    assert_eq!(mapped.len(), 3, "{mapped:?}");
    assert!(!mapped.contains(&PHI_B));
    let html = r.to_html(None, None);
    for id in &mapped {
        assert!(html.contains(&format!("id=\"network-{id}\"")), "{id}");
    }
    // The maps survive the JSON round trip a merge reads, and the merge keeps the readiness view.
    let back = Report::from_json(&r.to_json(), "whole.json").unwrap();
    let m = merge(
        &e,
        &Scope::default(),
        &[("whole.json".into(), back)],
        Prefer::Refuse,
    )
    .unwrap();
    assert_eq!(m.readiness, r.readiness);
    assert_eq!(m.organization, r.organization);
    // Under the rule in force there is neither.
    let plain = scan(None);
    assert!(plain.readiness.is_none());
    assert!(plain
        .organization
        .unwrap()
        .accounts
        .iter()
        .all(|a| !matches!(
            &a.scan,
            AccountScan::Scanned {
                network_map: Some(_),
                ..
            }
        )));
}

#[test]
fn a_merge_follows_the_framework_its_reports_were_grouped_by() {
    let plain = scan(None);
    let mut e = engine();
    e.set_framework(crate::framework::Framework::bundled("hipaa-nprm-2025").unwrap())
        .unwrap();
    let nprm = plain.regroup(e.framework());
    let named = |r: &Report, n: &str| (n.to_string(), r.clone());
    let choice = framework_of(&[named(&nprm, "a.json"), named(&nprm, "b.json")]).unwrap();
    assert_eq!(choice.id.as_deref(), Some("hipaa-nprm-2025"));
    assert_eq!(
        framework_of(&[named(&plain, "a.json")])
            .unwrap()
            .id
            .as_deref(),
        Some("hipaa-2013")
    );
    let mixed = framework_of(&[named(&plain, "a.json"), named(&nprm, "b.json")])
        .unwrap_err()
        .to_string();
    assert!(
        mixed.contains("a.json") && mixed.contains("--framework"),
        "{mixed}"
    );
    let mut own = nprm.clone();
    own.framework.id = "acme-2026".into();
    let unknown = framework_of(&[named(&own, "c.json")])
        .unwrap_err()
        .to_string();
    assert!(unknown.contains("--framework-file"), "{unknown}");
}
