use super::xml_escape;
use crate::report::Report;
use crate::vocabulary::Status;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One test suite per control, one test case per finding.
pub(super) fn render(r: &Report) -> String {
    let mut by_control: BTreeMap<&str, Vec<&crate::report::Finding>> = BTreeMap::new();
    for f in &r.findings {
        by_control.entry(&f.control_id).or_default().push(f);
    }
    let t = &r.summary.totals;
    let skipped = t.manual + t.not_applicable + t.waived;
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // A proposed rule: a comment for readers, and a property on every suite for CI tools.
    let properties = match &r.framework.banner {
        Some(b) => {
            let _ = writeln!(o, "<!-- {} -->", xml_escape(b).replace("--", "- -"));
            format!(
                "    <properties>\n      <property name=\"framework\" value=\"{}\"/>\n      <property name=\"readiness_note\" value=\"{}\"/>\n    </properties>\n",
                xml_escape(&r.framework.id),
                xml_escape(b)
            )
        }
        None => String::new(),
    };
    let _ = writeln!(
        o,
        "<testsuites name=\"hipaa-aws\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" timestamp=\"{}\">",
        t.total,
        t.fail,
        t.error,
        skipped,
        r.generated_at.format("%Y-%m-%dT%H:%M:%S")
    );
    for (control, list) in by_control {
        let count = |s: Status| list.iter().filter(|f| f.status == s).count();
        let _ = writeln!(
            o,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            xml_escape(control),
            list.len(),
            count(Status::Fail),
            count(Status::Error),
            count(Status::Manual) + count(Status::NotApplicable) + count(Status::Waived)
        );
        o.push_str(&properties);
        for f in list {
            let name = f.resource_label();
            let _ = write!(
                o,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml_escape(control),
                xml_escape(name)
            );
            // Infrastructure code: CI test reports link the case to its file and line.
            if let Some(l) = &f.location {
                let _ = write!(o, " file=\"{}\" line=\"{}\"", xml_escape(&l.file), l.line);
            }
            let text = format!("{} [{}; {}]", f.message, f.severity, f.citations.join(", "));
            match f.status {
                Status::Pass | Status::Inherited => {
                    let _ = writeln!(o, "/>");
                }
                Status::Fail => {
                    let _ = writeln!(
                        o,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        xml_escape(&text),
                        f.severity,
                        xml_escape(&f.remediation.console)
                    );
                }
                Status::Error => {
                    let _ = writeln!(o, ">\n      <error message=\"{}\" type=\"insufficient-data\"/>\n    </testcase>", xml_escape(&text));
                }
                Status::Manual | Status::NotApplicable | Status::Waived => {
                    let _ = writeln!(
                        o,
                        ">\n      <skipped message=\"{}: {}\"/>\n    </testcase>",
                        f.status,
                        xml_escape(&f.message)
                    );
                }
            }
        }
        o.push_str("  </testsuite>\n");
    }
    o.push_str("</testsuites>\n");
    o
}
