//! Scan options and the one shared `SdkConfig` built from aws-config's default chain.

use crate::error::Error;
use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_types::SdkConfig;

/// How to reach AWS and how hard to push it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// Named profile from `~/.aws/config` (default chain otherwise: env, profile, SSO, instance role).
    pub profile: Option<String>,
    /// Regions to scan for regional services; empty means every region the account has enabled
    /// (or, when that list cannot be read, the configured region).
    pub regions: Vec<String>,
    /// Endpoint override for local servers (moto, LocalStack).
    pub endpoint_url: Option<String>,
    /// Attempts per call under the SDK's standard retry mode (throttling and transient errors).
    pub max_attempts: u32,
    /// Calls in flight at once (in an organization scan: in total, over every account).
    pub concurrency: usize,
    /// The SDK's retry mode: standard, or adaptive (client-side rate limiting on throttling).
    pub retry_mode: RetryMode,
    /// Calls in flight at once to one service of one account (none: only `concurrency` bounds
    /// them), so one large account cannot take every slot of an organization scan.
    pub service_concurrency: Option<usize>,
}

/// How the SDK retries throttled and transient failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// Exponential backoff with jitter, up to `max_attempts`.
    #[default]
    Standard,
    /// Standard, plus a client-side token bucket that slows down after throttling.
    Adaptive,
}

impl std::str::FromStr for RetryMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<RetryMode, Error> {
        match s {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            other => Err(Error::Config(format!(
                "retry mode `{other}` is not `standard` or `adaptive`"
            ))),
        }
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            profile: None,
            regions: Vec::new(),
            endpoint_url: None,
            max_attempts: 5,
            concurrency: 32,
            retry_mode: RetryMode::Standard,
            service_concurrency: None,
        }
    }
}

impl ScanOptions {
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.concurrency == 0 {
            return Err(Error::Config("concurrency must be at least 1".into()));
        }
        if self.service_concurrency == Some(0) {
            return Err(Error::Config(
                "service concurrency must be at least 1".into(),
            ));
        }
        if self.max_attempts == 0 {
            return Err(Error::Config("max attempts must be at least 1".into()));
        }
        if let Some(url) = &self.endpoint_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::Config(format!(
                    "endpoint URL `{url}` must start with http:// or https://"
                )));
            }
        }
        for r in &self.regions {
            let ok = !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !ok {
                return Err(Error::Config(format!("`{r}` is not a region name")));
            }
        }
        Ok(())
    }

    /// Build the shared SDK configuration.
    pub(crate) async fn sdk_config(&self) -> Result<SdkConfig, Error> {
        self.validate()?;
        let retry = match self.retry_mode {
            RetryMode::Standard => RetryConfig::standard(),
            RetryMode::Adaptive => RetryConfig::adaptive(),
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(retry.with_max_attempts(self.max_attempts));
        if let Some(p) = &self.profile {
            loader = loader.profile_name(p);
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let mut cfg = loader.load().await;
        if cfg.region().is_none() {
            let region = self
                .regions
                .first()
                .cloned()
                .unwrap_or_else(|| "us-east-1".into());
            cfg = cfg.into_builder().region(Region::new(region)).build();
        }
        Ok(cfg)
    }

    /// The region for the account-wide reads (STS, the region list): the configured one.
    pub(crate) fn home_region(&self, cfg: &SdkConfig) -> String {
        cfg.region()
            .map(|r| r.as_ref().to_string())
            .unwrap_or_else(|| "us-east-1".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_options_are_rejected() {
        let bad = |o: ScanOptions| o.validate().unwrap_err().to_string();
        assert!(bad(ScanOptions {
            concurrency: 0,
            ..Default::default()
        })
        .contains("concurrency"));
        assert!(bad(ScanOptions {
            endpoint_url: Some("localhost:5000".into()),
            ..Default::default()
        })
        .contains("`localhost:5000`"));
        assert!(bad(ScanOptions {
            regions: vec!["US East".into()],
            ..Default::default()
        })
        .contains("not a region"));
        assert!(bad(ScanOptions {
            service_concurrency: Some(0),
            ..Default::default()
        })
        .contains("service concurrency"));
        assert!(ScanOptions::default().validate().is_ok());
        assert_eq!(
            "adaptive".parse::<RetryMode>().unwrap(),
            RetryMode::Adaptive
        );
        assert!("fast"
            .parse::<RetryMode>()
            .unwrap_err()
            .to_string()
            .contains("`fast`"));
    }
}
