use super::*;
use crate::scope::Scope;
use crate::testkit::*;
use crate::vocabulary::Status;
use crate::Engine;

fn report() -> Report {
    let mut b = bucket("phi-\"quoted\",bucket");
    b.encryption =
        crate::evidence::Fact::Known(crate::services::s3::evidence::BucketEncryption::None);
    let mut s = snapshot_with(vec![b]);
    sect(&mut s.services.iam).summary = denied("iam:GetAccountSummary");
    Engine::bundled()
        .unwrap()
        .evaluate_at(&s, &Scope::default(), now())
        .unwrap()
}

#[test]
fn format_names_parse() {
    for f in Format::ALL {
        assert_eq!(f.name().parse::<Format>().unwrap(), f);
    }
    assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
    assert!("pdf".parse::<Format>().unwrap_err().contains("`pdf`"));
}

#[test]
fn csv_has_one_row_per_finding_and_quotes_fields() {
    let r = report();
    let text = r.render(Format::Csv);
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), r.findings.len() + 1);
    assert!(rows[0].starts_with("status,severity,control_id"));
    assert!(text.contains("\"phi-\"\"quoted\"\",bucket\""), "{text}");
}

#[test]
fn junit_never_passes_an_error() {
    let r = report();
    let x = r.render(Format::Junit);
    assert!(x.contains("<failure") && x.contains("<error") && x.contains("<skipped"));
    let t = &r.summary.totals;
    assert!(x.contains(&format!("failures=\"{}\" errors=\"{}\"", t.fail, t.error)));
    // The root-MFA case is ERROR: it must carry an <error>, not be an empty (passing) testcase.
    let root = x.split("<testsuite name=\"iam.root_mfa\"").nth(1).unwrap();
    assert!(root
        .split("</testsuite>")
        .next()
        .unwrap()
        .contains("<error"));
}

#[test]
fn sarif_has_stable_rule_ids_and_no_pass_results() {
    let r = report();
    let v: serde_json::Value = serde_json::from_str(&r.render(Format::Sarif)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        r.summary.totals.fail + r.summary.totals.error + r.summary.totals.waived
    );
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(rules[i]["properties"]["security-severity"]
            .as_str()
            .is_some());
    }
    assert!(results
        .iter()
        .any(|r| r["ruleId"] == "iam.root_mfa" && r["kind"] == "review"));
}

#[test]
fn asff_maps_error_to_not_available() {
    let r = report();
    let v: serde_json::Value = serde_json::from_str(&r.render(Format::Asff)).unwrap();
    let list = v.as_array().unwrap();
    let root = list
        .iter()
        .find(|f| f["GeneratorId"] == "hipaa-aws/iam.root_mfa")
        .unwrap();
    assert_eq!(root["Compliance"]["Status"], "NOT_AVAILABLE");
    let enc = list
        .iter()
        .find(|f| f["GeneratorId"] == "hipaa-aws/s3.default_encryption")
        .unwrap();
    assert_eq!(enc["Compliance"]["Status"], "FAILED");
    assert_eq!(enc["Resources"][0]["Type"], "AwsS3Bucket");
    for f in list {
        for key in [
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources",
        ] {
            assert!(f.get(key).is_some(), "ASFF finding lacks required `{key}`");
        }
    }
    assert_eq!(
        list.len(),
        r.findings
            .iter()
            .filter(|f| f.status != Status::NotApplicable)
            .count()
    );
}

#[test]
fn ocsf_events_carry_the_fields_the_class_requires() {
    let r = report();
    let text = r.render(Format::Ocsf);
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), r.findings.len());
    for e in &events {
        assert_eq!(e["class_uid"], 2003);
        assert_eq!(e["category_uid"], 2);
        assert_eq!(e["type_uid"], 200301);
        for key in [
            "activity_id",
            "severity_id",
            "time",
            "metadata",
            "finding_info",
            "compliance",
            "cloud",
        ] {
            assert!(e.get(key).is_some(), "OCSF event lacks `{key}`");
        }
        assert!(
            e["metadata"]["version"].is_string() && e["metadata"]["product"]["name"].is_string()
        );
        assert!(e["finding_info"]["uid"].is_string() && e["finding_info"]["title"].is_string());
        assert!(e["compliance"]["standards"]
            .as_array()
            .is_some_and(|s| !s.is_empty()));
        assert_eq!(e["cloud"]["provider"], "AWS");
    }
    let root = events
        .iter()
        .find(|e| e["compliance"]["control"] == "iam.root_mfa")
        .unwrap();
    assert_eq!(
        root["compliance"]["status_id"], 0,
        "ERROR must be Unknown, never Pass"
    );
}

/// Every format rendered from the bundled demo (deterministic: evaluated at its recording time).
/// `UPDATE_GOLDEN=1 cargo test -p hipaa-core golden` rewrites the files after an intended change.
#[test]
fn golden_files_match_the_demo_report() {
    let r = crate::demo::report().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for f in Format::ALL {
        let path = dir.join(format!("demo.{}", f.extension()));
        let text = r.render(f);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
        assert!(
            want == text,
            "{} differs from the demo report's {f} output (UPDATE_GOLDEN=1 to accept)",
            path.display()
        );
    }
}

/// A report about infrastructure code: one bucket without versioning at line 2.
fn code_report() -> Report {
    let options = crate::iac::Options {
        taken_at: Some(now()),
        ..Default::default()
    };
    let s = crate::iac::from_text(
        "Resources:\n  Records:\n    Type: AWS::S3::Bucket\n",
        "stacks/records.yaml",
        &options,
    )
    .unwrap();
    Engine::bundled()
        .unwrap()
        .evaluate_at(&s, &Scope::default(), now())
        .unwrap()
}

#[test]
fn every_format_shows_where_code_findings_are_defined() {
    let r = code_report();
    let f = r
        .findings
        .iter()
        .find(|f| f.control_id == "s3.versioning")
        .unwrap();
    assert_eq!(f.status, Status::Fail);
    assert_eq!(f.resource_label(), "Records");
    let l = f.location.as_ref().unwrap();
    assert_eq!(
        (l.file.as_str(), l.line, l.column),
        ("stacks/records.yaml", 2, 3)
    );

    let sarif: serde_json::Value = serde_json::from_str(&r.render(Format::Sarif)).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["ruleId"] == "s3.versioning")
        .unwrap();
    let p = &result["locations"][0]["physicalLocation"];
    assert_eq!(p["artifactLocation"]["uri"], "stacks/records.yaml");
    assert_eq!(p["region"]["startLine"], 2);
    assert_eq!(p["region"]["startColumn"], 3);

    let csv = r.render(Format::Csv);
    assert!(csv.lines().next().unwrap().ends_with(",location"), "{csv}");
    assert!(csv.contains("stacks/records.yaml:2:3"), "{csv}");
    let table = r.render(Format::Table);
    assert!(
        table.contains("LOCATION") && table.contains("stacks/records.yaml:2"),
        "{table}"
    );
    assert!(r
        .render(Format::Markdown)
        .contains("`Records` at stacks/records.yaml:2:3"));
    assert!(r.render(Format::Html).contains("stacks/records.yaml:2:3"));
    assert!(r
        .render(Format::Junit)
        .contains("file=\"stacks/records.yaml\" line=\"2\""));
    assert!(r
        .render(Format::Ocsf)
        .contains("\"location\":{\"file\":\"stacks/records.yaml\",\"line\":2,\"column\":3}"));
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert!(json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["location"]["line"] == 2));
    // A live report keeps its columns and JSON exactly.
    let live = report();
    assert!(live
        .render(Format::Csv)
        .lines()
        .next()
        .unwrap()
        .ends_with(",remediation"));
    assert!(!live.render(Format::Table).contains("LOCATION"));
    assert!(!live.to_json().contains("\"location\""));
}

/// With the proposed rule, every format says it is readiness for a proposal, not compliance, and
/// cites the proposed sections; the statuses are the 2013 run's.
#[test]
fn under_a_proposed_rule_every_format_carries_the_banner() {
    let nprm = crate::Framework::bundled("hipaa-nprm-2025").unwrap();
    let base = crate::demo::report().unwrap();
    let r = base.regroup(&nprm);
    let banner = r.framework.banner.clone().unwrap();
    assert!(banner.contains("readiness only, not compliance"));
    for f in Format::ALL {
        let text = r.render(f);
        assert!(
            text.contains("readiness only, not compliance"),
            "{f} has no banner"
        );
        if matches!(f, Format::Sarif | Format::Ocsf | Format::Asff) {
            assert!(text.contains("proposed 45 CFR 164.312(b)"), "{f}");
        }
        assert!(
            !base.render(f).contains("readiness only"),
            "{f}: the 2013 report must not carry the banner"
        );
    }
    let html = r.render(Format::Html);
    assert!(html.contains("id=\"readiness-table\"") && html.contains("164.312(h)(2)(iii)"));
    // Each proposed requirement's row says, with counts, what would change for this account:
    // encryption becomes required, so stores that fail it today are counted.
    let enc = r
        .readiness
        .as_ref()
        .unwrap()
        .iter()
        .find(|c| c.citation == "164.312(b)")
        .unwrap();
    assert!(enc.would_fail > 0, "{enc:?}");
    assert!(
        enc.summary
            .contains(&format!("{} resources failing or waived", enc.would_fail)),
        "{}",
        enc.summary
    );
    assert!(
        html.contains(&format!(
            "data-citation=\"164.312(b)\" data-would-fail=\"{}\"",
            enc.would_fail
        )) && html.contains(&format!("<b>{}</b>", enc.summary)),
        "the HTML does not show the encryption requirement's change summary"
    );
    let csv = r.render(Format::Csv);
    assert!(csv.lines().next().unwrap().ends_with(",readiness_note"));
    let v: serde_json::Value = serde_json::from_str(&r.render(Format::Json)).unwrap();
    assert_eq!(v["framework"]["id"], "hipaa-nprm-2025");
    assert_eq!(v["framework"]["status"], "proposed");
    assert!(v["readiness"].as_array().is_some_and(|a| !a.is_empty()));
}
