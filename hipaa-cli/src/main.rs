//! The `hipaa` command.

mod args;
mod progress;

use args::{
    AwsArgs, CitationsArgs, Cli, Command, ControlsArgs, DiffFormat, ListFormat, OrgArgs,
    ReportArgs, RisksFormat, ScpArgs, TrendFormat,
};
use clap::Parser;
use hipaa_aws::ScanOptions;
use hipaa_core::audit::{self, Inputs};
use hipaa_core::report::Format;
use hipaa_core::report::TableOptions;
use hipaa_core::risk::RiskRegister;
use hipaa_core::scope::RemediationDays;
use hipaa_core::{demo, Catalog, Engine, Registry, Report, Scope, Snapshot};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code for bad input, unreadable files and failed set-up.
const EXIT_ERROR: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli);
    // Earlier control ids in the user's files, and the like: said once each, on stderr.
    for n in hipaa_core::notice::take() {
        eprintln!("hipaa: warning: {n}");
    }
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(EXIT_ERROR)),
        Err(e) => {
            eprintln!("hipaa: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn run(cli: Cli) -> Res<i32> {
    match cli.command {
        Command::Scan(a) if a.org.enabled() => {
            let (Inputs { scope, .. }, engine) = inputs_for(&a.report)?;
            if a.save_snapshot.is_some() {
                return Err("--save-snapshot keeps one account's evidence; an organization scan evaluates each account and drops its evidence (use `hipaa snapshot` per account)".into());
            }
            let report = organization_scan(&a.aws, &a.org, &scope, &engine)?;
            emit(
                &report,
                a.report.format,
                a.report.output.as_deref(),
                a.report.all,
                &scope.remediation_days,
            )?;
            Ok(report.exit_code(a.report.fail_on))
        }
        Command::Scan(a) => {
            if a.org.shard.is_some() {
                return Err("--shard needs --organization or --accounts".into());
            }
            let (Inputs { scope, .. }, engine) = inputs_for(&a.report)?;
            let snapshot = collect(&a.aws, &scope)?;
            if let Some(path) = &a.save_snapshot {
                write_file(path, &snapshot.to_json())?;
            }
            let report = engine.evaluate(&snapshot, &scope)?;
            emit(
                &report,
                a.report.format,
                a.report.output.as_deref(),
                a.report.all,
                &scope.remediation_days,
            )?;
            Ok(report.exit_code(a.report.fail_on))
        }
        Command::Snapshot(a) => {
            let scope = load_scope(a.scope.as_deref())?;
            let snapshot = collect(&a.aws, &scope)?;
            write_file(&a.output, &snapshot.to_json())?;
            let failed = snapshot.reads.failures.len();
            eprintln!(
                "hipaa: wrote {} ({} API reads, {failed} failed)",
                a.output.display(),
                snapshot.reads.attempted()
            );
            Ok(if failed > 0 {
                hipaa_core::EXIT_INCOMPLETE
            } else {
                hipaa_core::EXIT_CLEAN
            })
        }
        Command::Evaluate(a) => {
            let (Inputs { scope, .. }, engine) = inputs_for(&a.report)?;
            let snapshot = Snapshot::load(&a.snapshot)?;
            let report = engine.evaluate(&snapshot, &scope)?;
            emit(
                &report,
                a.report.format,
                a.report.output.as_deref(),
                a.report.all,
                &scope.remediation_days,
            )?;
            Ok(report.exit_code(a.report.fail_on))
        }
        Command::Iac(a) => {
            let (Inputs { scope, .. }, engine) = inputs_for(&a.report)?;
            let snapshot = hipaa_core::iac::load(&a.paths, &a.code.options())?;
            if let Some(path) = &a.save_snapshot {
                write_file(path, &snapshot.to_json())?;
            }
            let report = engine.evaluate(&snapshot, &scope)?;
            emit(
                &report,
                a.report.format,
                a.report.output.as_deref(),
                a.report.all,
                &scope.remediation_days,
            )?;
            Ok(report.exit_code(a.report.fail_on))
        }
        Command::Report(a) => {
            let report = a
                .framework
                .choice()
                .regroup(audit::load_report(&a.report)?)?;
            emit(
                &report,
                a.format,
                a.output.as_deref(),
                a.all,
                &RemediationDays::default(),
            )?;
            Ok(0)
        }
        Command::Diff(a) => {
            let (old, new) = (read_report(&a.old)?, read_report(&a.new)?);
            let d = hipaa_core::progress::diff(&old, &new);
            let text = match a.format {
                DiffFormat::Text => d.to_text(),
                DiffFormat::Json => serde_json::to_string_pretty(&d)? + "\n",
            };
            print_out(&text);
            Ok(if a.fail_on_new && !d.new_failures.is_empty() {
                hipaa_core::EXIT_FAILURES
            } else {
                0
            })
        }
        Command::Trend(a) => {
            let reports = a
                .reports
                .iter()
                .map(|p| read_report(p))
                .collect::<Res<Vec<_>>>()?;
            let points = hipaa_core::progress::trend(&reports);
            let text = match a.format {
                TrendFormat::Table => hipaa_core::progress::trend_table(&points),
                TrendFormat::Json => serde_json::to_string_pretty(&points)? + "\n",
                TrendFormat::Html => {
                    let newest = reports
                        .iter()
                        .max_by_key(|r| r.generated_at)
                        .ok_or("no report given")?;
                    let risks = RiskRegister::from_report(newest, &RemediationDays::default());
                    newest.to_html(Some(&risks), Some(&points))
                }
            };
            match &a.output {
                Some(p) => write_file(p, &text)?,
                None => print_out(&text),
            }
            Ok(0)
        }
        Command::Risks(a) => {
            let report = read_report(&a.report)?;
            let scope = load_scope(a.scope.as_deref())?;
            let reg = RiskRegister::from_report(&report, &scope.remediation_days);
            let text = match a.format {
                RisksFormat::Csv => reg.risks_csv(),
                RisksFormat::AssetsCsv => reg.assets_csv(),
                RisksFormat::Json => serde_json::to_string_pretty(&reg)? + "\n",
            };
            match &a.output {
                Some(p) => write_file(p, &text)?,
                None => print_out(&text),
            }
            Ok(0)
        }
        Command::Bundle(a) => {
            let inputs = Inputs::load(a.scope.as_deref(), a.attestations.as_deref())?;
            let engine = inputs.engine(&a.catalogs)?;
            let snapshot = Snapshot::load(&a.snapshot)?;
            let bundled = audit::write_bundle(&inputs, &engine, &snapshot, &a.output)?;
            eprintln!(
                "hipaa: wrote {} ({} files, manifest digest in manifest.sha256)",
                a.output.display(),
                bundled.manifest.files.len() + 2
            );
            Ok(0)
        }
        Command::Verify(a) => {
            let v = hipaa_core::bundle::verify_bundle(&a.bundle)?;
            if v.ok {
                println!(
                    "{}: intact (every file matches the manifest)",
                    a.bundle.display()
                );
                return Ok(0);
            }
            eprintln!("hipaa: {} has been changed", a.bundle.display());
            for f in &v.changed {
                eprintln!("  changed: {f}");
            }
            for f in &v.missing {
                eprintln!("  missing: {f}");
            }
            for f in &v.unexpected {
                eprintln!("  not in the manifest: {f}");
            }
            Ok(i32::from(EXIT_ERROR))
        }
        Command::Demo(a) => {
            if a.show_scope {
                print!("{}", demo::scope_text());
                return Ok(0);
            }
            let report = demo::report_under(&a.framework.choice())?;
            emit(
                &report,
                a.format,
                a.output.as_deref(),
                a.all,
                &RemediationDays::default(),
            )?;
            Ok(a.fail_on.map(|s| report.exit_code(s)).unwrap_or(0))
        }
        Command::Merge(a) => {
            let inputs = Inputs::load(a.scope.as_deref(), None)?;
            let reports = a
                .reports
                .iter()
                .map(|p| Ok((p.display().to_string(), read_report(p)?)))
                .collect::<Res<Vec<_>>>()?;
            let mut framework = a.framework.choice();
            if framework.is_default() {
                framework = hipaa_core::organization::framework_of(&reports)?;
            }
            let engine = inputs.engine_with(&a.catalogs, &framework)?;
            let prefer = match (&a.prefer_report, a.prefer) {
                (Some(f), _) => {
                    let i = a.reports.iter().position(|p| p == f).ok_or_else(|| {
                        format!(
                            "--prefer-report `{}` is not one of the reports to merge",
                            f.display()
                        )
                    })?;
                    hipaa_core::organization::Prefer::Input(i)
                }
                (None, Some(args::Prefer::Newest)) => hipaa_core::organization::Prefer::Newest,
                (None, Some(args::Prefer::Oldest)) => hipaa_core::organization::Prefer::Oldest,
                (None, None) => hipaa_core::organization::Prefer::Refuse,
            };
            let report =
                hipaa_core::organization::merge_owned(&engine, &inputs.scope, reports, prefer)?;
            emit(
                &report,
                a.format,
                a.output.as_deref(),
                false,
                &inputs.scope.remediation_days,
            )?;
            Ok(report.exit_code(a.fail_on))
        }
        Command::Controls(a) => controls(&a),
        Command::Citations(a) => citations(&a),
        Command::NetworkMap(a) => {
            let scope = load_scope(a.scope.as_deref())?;
            let snapshot = Snapshot::load(&a.snapshot)?;
            let map = hipaa_core::network_map::NetworkMap::from_snapshot(&snapshot, &scope);
            let text = map.to_json() + "\n";
            match &a.output {
                Some(p) => write_file(p, &text)?,
                None => print_out(&text),
            }
            for g in &map.gaps {
                eprintln!("hipaa: warning: the map is incomplete: {g}");
            }
            Ok(if map.is_complete() {
                hipaa_core::EXIT_CLEAN
            } else {
                hipaa_core::EXIT_INCOMPLETE
            })
        }
        Command::Scp(a) => scp(&a),
    }
}

fn read_report(path: &Path) -> Res<Report> {
    Ok(audit::load_report(path)?)
}

/// The scope, attestations and engine a report command's arguments name.
fn inputs_for(args: &ReportArgs) -> Res<(Inputs, Engine)> {
    let inputs = Inputs::load(args.scope.as_deref(), args.attestations.as_deref())?;
    let engine = inputs.engine_with(&args.catalogs, &args.framework.choice())?;
    Ok((inputs, engine))
}

fn load_scope(path: Option<&Path>) -> Res<Scope> {
    Ok(Inputs::load(path, None)?.scope)
}

fn scan_options(aws: &AwsArgs) -> ScanOptions {
    ScanOptions {
        profile: aws.profile.clone(),
        regions: aws.regions.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        max_attempts: aws.max_attempts,
        concurrency: aws.concurrency,
        retry_mode: aws.retry_mode,
        service_concurrency: aws.service_concurrency,
    }
}

fn organization_scan(aws: &AwsArgs, org: &OrgArgs, scope: &Scope, engine: &Engine) -> Res<Report> {
    let options = hipaa_aws::OrganizationOptions {
        scan: scan_options(aws),
        accounts: org.accounts.clone(),
        ous: org.ous.clone(),
        account_concurrency: org.account_concurrency,
        shard: org.shard,
    };
    let runtime = hipaa_aws::runtime_builder().build()?;
    let bar = progress::Bar::new(!aws.no_progress);
    let report = runtime.block_on(hipaa_aws::scan_organization(&options, scope, engine, &bar));
    bar.finish();
    Ok(report?)
}

fn collect(aws: &AwsArgs, scope: &Scope) -> Res<Snapshot> {
    let options = scan_options(aws);
    let runtime = hipaa_aws::runtime_builder().build()?;
    let bar = progress::Bar::new(!aws.no_progress);
    let snapshot = runtime.block_on(hipaa_aws::snapshot(&options, scope, &bar));
    bar.finish();
    Ok(snapshot?)
}

fn emit(
    report: &Report,
    format: Format,
    output: Option<&Path>,
    all: bool,
    days: &RemediationDays,
) -> Res<()> {
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    if format == Format::Json {
        // Streamed: an organization report of many accounts is never held twice in memory.
        return match output {
            Some(p) => {
                let cannot =
                    |e: &dyn std::fmt::Display| format!("cannot write `{}`: {e}", p.display());
                let file = std::fs::File::create(p).map_err(|e| cannot(&e))?;
                let mut w = std::io::BufWriter::new(file);
                serde_json::to_writer_pretty(&mut w, report).map_err(|e| cannot(&e))?;
                w.write_all(b"\n")
                    .and_then(|()| w.flush())
                    .map_err(|e| cannot(&e))?;
                Ok(())
            }
            None => {
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                // A closed pipe (`hipaa scan --format json | head`) is not an error worth reporting.
                if serde_json::to_writer_pretty(&mut out, report).is_ok() {
                    let _ = out.write_all(b"\n");
                }
                let _ = out.flush();
                Ok(())
            }
        };
    }
    let text = match format {
        Format::Table => {
            let color = to_terminal && std::env::var_os("NO_COLOR").is_none();
            report.to_table(&TableOptions {
                color,
                all,
                ..TableOptions::default()
            })
        }
        Format::Html => report.to_html(Some(&RiskRegister::from_report(report, days)), None),
        other => report.render(other),
    };
    match output {
        Some(p) => write_file(p, &text),
        None => {
            print_out(&text);
            Ok(())
        }
    }
}

fn write_file(path: &Path, text: &str) -> Res<()> {
    std::fs::write(path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    Ok(())
}

fn catalog_with(extra: &[PathBuf]) -> Res<(Catalog, &'static Registry)> {
    let registry = Registry::bundled()?;
    let mut catalog = Catalog::bundled(registry)?;
    for c in extra {
        catalog.extend_from_file(c, registry)?;
    }
    Ok((catalog, registry))
}

fn print_out(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`hipaa controls | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn controls(a: &ControlsArgs) -> Res<i32> {
    use std::fmt::Write as _;
    let mut o = String::new();
    let (catalog, _) = catalog_with(&a.catalogs)?;
    if let Some(c) = &a.category {
        c.parse::<hipaa_core::Category>()?;
    }
    let list: Vec<_> = catalog
        .controls()
        .iter()
        .filter(|c| a.category.as_deref().is_none_or(|k| c.category.name() == k))
        .filter(|c| a.severity.is_none_or(|s| c.severity >= s))
        .filter(|c| {
            a.citation
                .as_deref()
                .is_none_or(|x| c.citations.iter().any(|y| y == x))
        })
        .filter(|c| a.id.as_deref().is_none_or(|p| c.id.starts_with(p)))
        .collect();
    match a.format {
        ListFormat::Json => writeln!(o, "{}", serde_json::to_string_pretty(&list)?)?,
        ListFormat::Table => {
            writeln!(
                o,
                "{:<34} {:<9} {:<9} {:<22} {:<10} TITLE",
                "ID", "SEVERITY", "OWNER", "CATEGORY", "CHECK"
            )?;
            for c in &list {
                let check = format!("{:?}", c.check).to_lowercase();
                writeln!(
                    o,
                    "{:<34} {:<9} {:<9} {:<22} {:<10} {}",
                    c.id, c.severity, c.owner, c.category, check, c.title
                )?;
            }
            writeln!(o, "\n{} controls", list.len())?;
        }
    }
    print_out(&o);
    Ok(0)
}

fn citations(a: &CitationsArgs) -> Res<i32> {
    use std::fmt::Write as _;
    let mut o = String::new();
    let (catalog, _) = catalog_with(&[])?;
    let framework = a.framework.choice().load()?;
    framework.check_controls(&catalog)?;
    let entries: Vec<_> = framework
        .citation_index(&catalog)
        .into_iter()
        .filter(|e| {
            a.safeguard
                .as_deref()
                .is_none_or(|x| e.spec.safeguard.name() == x)
        })
        .filter(|e| a.owner.as_deref().is_none_or(|x| e.spec.owner.name() == x))
        .collect();
    match a.format {
        ListFormat::Json => writeln!(o, "{}", serde_json::to_string_pretty(&entries)?)?,
        ListFormat::Table => {
            let info = framework.info();
            if let Some(b) = &info.banner {
                writeln!(o, "{b}\n")?;
            }
            // A framework that cites its published text (the Federal Register) shows the page.
            let paged = entries.iter().any(|e| e.spec.page.is_some());
            let page = |p: Option<u32>| match (paged, p) {
                (false, _) => String::new(),
                (true, Some(p)) => format!("{p:<6} "),
                (true, None) => format!("{:<6} ", "-"),
            };
            writeln!(
                o,
                "{:<24} {}{:<15} {:<12} {:<9} {:<52} CONTROLS",
                "CITATION",
                if paged { "PAGE   " } else { "" },
                "SAFEGUARD",
                "REQ",
                "OWNER",
                "TITLE"
            )?;
            for e in &entries {
                let s = &e.spec;
                let req = if s.attestation_only {
                    "attestation".to_string()
                } else {
                    format!("{:?}", s.requirement).to_lowercase()
                };
                let title: String = s.title.chars().take(52).collect();
                let controls = match (e.controls.is_empty(), &s.manual_reason) {
                    (false, _) => e.controls.join(", "),
                    (true, Some(why)) => format!("- (MANUAL: {why})"),
                    (true, None) => "-".to_string(),
                };
                writeln!(
                    o,
                    "{:<24} {}{:<15} {:<12} {:<9} {:<52} {}",
                    s.citation,
                    page(s.page),
                    s.safeguard,
                    req,
                    s.owner,
                    title,
                    controls
                )?;
            }
            let uncovered = entries.iter().filter(|e| e.controls.is_empty()).count();
            writeln!(
                o,
                "\n{} ({} {}): {} requirements, {} answered by at least one control, {} by none",
                info.name,
                info.id,
                info.version,
                entries.len(),
                entries.len() - uncovered,
                uncovered
            )?;
        }
    }
    print_out(&o);
    Ok(0)
}

fn scp(a: &ScpArgs) -> Res<i32> {
    use std::fmt::Write as _;
    let list = hipaa_core::eligible::EligibleServices::bundled()?;
    if a.list {
        let mut o = String::new();
        writeln!(o, "{} ({})", list.label(), list.source_url)?;
        for s in &list.services {
            writeln!(
                o,
                "  eligible  {:<60} {}",
                s.name,
                s.iam_prefixes.join(", ")
            )?;
        }
        for s in &list.always_allowed {
            writeln!(
                o,
                "  allowed   {:<60} {}",
                s.name,
                s.iam_prefixes.join(", ")
            )?;
        }
        print_out(&o);
        return Ok(0);
    }
    let policies = hipaa_core::scp::generate(list, &a.exempt_principals)?;
    let attach = match policies.first().map(|p| p.strategy) {
        Some(hipaa_core::scp::ScpStrategy::AllowOnly) => {
            "attach them together IN PLACE of FullAWSAccess on the OU that holds the ePHI accounts"
        }
        _ => "attach it next to FullAWSAccess on the OU that holds the ePHI accounts",
    };
    match (&a.out, policies.as_slice()) {
        (None, [one]) => print_out(&format!("{}\n", one.document)),
        (None, many) => {
            return Err(format!(
                "the list needs {} policies under the {}-character SCP limit; give --out FILE to write them",
                many.len(),
                hipaa_core::scp::SCP_MAX_CHARS
            )
            .into())
        }
        (Some(path), many) => {
            for (i, p) in many.iter().enumerate() {
                let file = if i == 0 {
                    path.clone()
                } else {
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scp");
                    let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("json");
                    path.with_file_name(format!("{stem}-{}.{ext}", i + 1))
                };
                std::fs::write(&file, format!("{}\n", p.document))
                    .map_err(|e| format!("cannot write `{}`: {e}", file.display()))?;
                eprintln!("wrote {} ({} characters, policy name `{}`)", file.display(), p.document.len(), p.name);
            }
        }
    }
    eprintln!(
        "{} polic{} from the {} ({} characters max, limit {}); {attach}. SCPs never apply to the management account.",
        policies.len(),
        if policies.len() == 1 { "y" } else { "ies" },
        list.label(),
        policies.iter().map(|p| p.document.len()).max().unwrap_or(0),
        hipaa_core::scp::SCP_MAX_CHARS
    );
    Ok(0)
}
