//! The two classes: a `Report` and a `Snapshot`, each wrapping its core type once.

use crate::data::{
    timestamp, Completeness, Finding, ReadLog, ReportData, ScopeInfo, SnapshotInfo, Summary,
    ToolInfo, WaiverState,
};
use crate::error::{ErrorCode, Failure};
use crate::options::string_arg;
use hipaa_core::report::Format;
use napi::bindgen_prelude::{Either, Null, Unknown};
use napi_derive::napi;

/// A complete, versioned evaluation result. Its getters return plain objects (a fresh copy on each
/// access: keep the one you use); `toJSON()` is the report JSON, so `JSON.stringify(report)`
/// writes what `hipaa scan --format json` writes.
#[napi]
pub struct Report {
    pub(crate) inner: hipaa_core::Report,
}

impl Report {
    /// Wrap a core report.
    pub fn new(inner: hipaa_core::Report) -> Report {
        Report { inner }
    }
}

#[napi]
impl Report {
    /// Every finding, failures first.
    #[napi(getter)]
    pub fn findings(&self) -> Vec<Finding> {
        self.inner.findings.iter().map(Into::into).collect()
    }

    /// Roll-ups per status, severity, safeguard, owner, category and citation.
    #[napi(getter)]
    pub fn summary(&self) -> Summary {
        (&self.inner.summary).into()
    }

    /// How much of the evidence could be read.
    #[napi(getter)]
    pub fn completeness(&self) -> Completeness {
        (&self.inner.summary.completeness).into()
    }

    /// Every read succeeded and no finding is ERROR.
    #[napi(getter)]
    pub fn complete(&self) -> bool {
        self.inner.is_complete()
    }

    /// The account evaluated, when known.
    #[napi(getter)]
    pub fn account(&self) -> Either<String, Null> {
        match &self.inner.account {
            Some(a) => Either::A(a.clone()),
            None => Either::B(Null),
        }
    }

    /// When the evaluation ran (RFC 3339).
    #[napi(getter)]
    pub fn generated_at(&self) -> String {
        timestamp(&self.inner.generated_at)
    }

    /// Tool and data versions.
    #[napi(getter)]
    pub fn tool(&self) -> ToolInfo {
        (&self.inner.tool).into()
    }

    /// The framework findings are grouped by (`status: 'proposed'` is readiness, never compliance).
    #[napi(getter)]
    pub fn framework(&self) -> crate::data::FrameworkInfo {
        (&self.inner.framework).into()
    }

    /// Where the evidence came from.
    #[napi(getter)]
    pub fn snapshot(&self) -> SnapshotInfo {
        (&self.inner.snapshot).into()
    }

    /// The scope applied.
    #[napi(getter)]
    pub fn scope(&self) -> ScopeInfo {
        (&self.inner.scope).into()
    }

    /// Waivers and whether they are in force.
    #[napi(getter)]
    pub fn waivers(&self) -> Vec<WaiverState> {
        self.inner.waivers.iter().map(Into::into).collect()
    }

    /// In an organization report: the organization, its view and every account with what became
    /// of it (the report JSON's `organization` object); `null` for an account report.
    #[napi(getter, ts_return_type = "Record<string, unknown> | null")]
    pub fn organization(&self) -> Option<serde_json::Value> {
        self.inner
            .organization
            .as_ref()
            .and_then(|o| serde_json::to_value(o).ok())
    }

    /// FAIL findings at or above a severity (default: any severity).
    #[napi]
    pub fn failures(
        &self,
        #[napi(ts_arg_type = "Severity")] at_least: Option<Unknown<'_>>,
    ) -> napi::Result<Vec<Finding>, ErrorCode> {
        let at_least = match at_least {
            None => hipaa_core::Severity::Informational,
            Some(v) => string_arg(v, "severity")
                .and_then(|s| s.parse().map_err(Failure::config))
                .map_err(Failure::into_napi)?,
        };
        Ok(self.inner.failures(at_least).map(Into::into).collect())
    }

    /// The whole report as plain data: the report JSON (schema 1.x).
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> ReportData {
        (&self.inner).into()
    }

    /// The report as text, rendered by the core: `json` (the stable schema, as the CLI prints it),
    /// `markdown`, `table` (without colours), `html`, `csv`, `sarif`, `ocsf`, `asff` or `junit`.
    #[napi]
    pub fn format(
        &self,
        #[napi(ts_arg_type = "ReportFormat")] kind: Unknown<'_>,
    ) -> napi::Result<String, ErrorCode> {
        let kind = string_arg(kind, "kind").map_err(Failure::into_napi)?;
        let format: Format = kind
            .parse()
            .map_err(|m: String| Failure::config(m).into_napi())?;
        Ok(self.inner.render(format))
    }
}

/// All evidence from one scan of one account, to save and evaluate offline.
/// `JSON.stringify(snapshot)` writes the snapshot file that `loadSnapshot` and `hipaa evaluate` read.
#[napi]
pub struct Snapshot {
    pub(crate) inner: hipaa_core::Snapshot,
}

impl Snapshot {
    /// Wrap a core snapshot.
    pub fn new(inner: hipaa_core::Snapshot) -> Snapshot {
        Snapshot { inner }
    }
}

#[napi]
impl Snapshot {
    /// Format version of the snapshot file.
    #[napi(getter)]
    pub fn schema_version(&self) -> u32 {
        self.inner.schema_version
    }

    /// When the evidence was collected (RFC 3339).
    #[napi(getter)]
    pub fn taken_at(&self) -> String {
        timestamp(&self.inner.taken_at)
    }

    /// What collected it (`aws`, `aws endpoint http://127.0.0.1:…`, `cloudformation t.yaml`).
    #[napi(getter)]
    pub fn source(&self) -> String {
        self.inner.provenance.label()
    }

    /// AWS partition.
    #[napi(getter)]
    pub fn partition(&self) -> String {
        self.inner.partition.clone()
    }

    /// The account id, `null` when it could not be read.
    #[napi(getter)]
    pub fn account(&self) -> Either<String, Null> {
        match self.inner.account.known() {
            Some(a) => Either::A(a.clone()),
            None => Either::B(Null),
        }
    }

    /// Regions scanned.
    #[napi(getter)]
    pub fn regions(&self) -> Vec<String> {
        self.inner.regions.clone()
    }

    /// Every API read made and every read that failed.
    #[napi(getter)]
    pub fn reads(&self) -> ReadLog {
        (&self.inner.reads).into()
    }

    /// The snapshot file's content as plain data.
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> napi::Result<serde_json::Value, ErrorCode> {
        serde_json::to_value(&self.inner)
            .map_err(|e| Failure::bad_input(format!("snapshot: {e}")).into_napi())
    }
}
