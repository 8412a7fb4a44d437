//! AWS Certificate Manager rules: certificates in use stay valid for at least
//! `cert_expiry_min_days`, use an RSA key of 2048 bits or more (or an ECDSA key), and their managed
//! renewal has not failed. Certificates that serve nothing (not in use, or not issued) are
//! NOT_APPLICABLE.

use super::evidence::{AcmRegion, Certificate};
use crate::evidence::{Unknown, UnknownReason};
use crate::rules::{each_listed, section, Context, Outcome, PhiMark, Resource, RuleFn, Verdict};

pub(crate) fn rules() -> Vec<RuleFn> {
    vec![
        RuleFn {
            id: "acm.cert_not_expiring",
            f: cert_not_expiring,
        },
        RuleFn {
            id: "acm.cert_key_strength",
            f: cert_key_strength,
        },
        RuleFn {
            id: "acm.cert_renewal_ok",
            f: cert_renewal_ok,
        },
    ]
}

const LIST: &str = "acm:ListCertificates";

/// Judge every certificate that serves traffic: issued (or expired) and not known to be unused.
fn each_cert(
    ctx: &Context<'_>,
    judge: impl Fn(&Certificate) -> Result<Verdict, Unknown>,
) -> Vec<Outcome> {
    let regions = section!(ctx.regions(&ctx.snapshot.services.acm, "ACM", "certificate"));
    each_listed(
        ctx,
        regions,
        "ACM certificates",
        |r: &AcmRegion| &r.certificates,
        |region, c| {
            let phi = PhiMark::of(&ctx.scope.phi, &c.tags);
            let id = c.arn.rsplit('/').next().unwrap_or(&c.arn);
            let mut res = Resource::regional(
                ctx,
                &c.arn,
                id,
                "AwsCertificateManagerCertificate",
                region,
                &phi,
            );
            res.name = c.domain.clone();
            let verdict = match (c.status.as_deref(), c.in_use) {
                (None, _) => Err(Unknown::new(
                    UnknownReason::ParseError,
                    LIST,
                    "the answer did not give the certificate's status",
                )),
                (Some(s), _) if !matches!(s, "ISSUED" | "EXPIRED") => Ok(Verdict::not_applicable(
                    format!("the certificate is `{s}`, so it serves no connection"),
                )),
                (Some(_), Some(false)) => Ok(Verdict::not_applicable(
                    "no AWS resource uses the certificate",
                )),
                _ => judge(c),
            };
            Outcome::from_result(res, phi, verdict)
        },
    )
}

fn cert_not_expiring(ctx: &Context<'_>) -> Vec<Outcome> {
    let min = i64::from(ctx.scope.thresholds.cert_expiry_min_days);
    each_cert(ctx, |c| {
        let Some(end) = c.not_after else {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                LIST,
                "the answer did not give the certificate's expiry",
            ));
        };
        let days = (end - ctx.now).num_days();
        let how = match c.kind.as_deref() {
            Some("IMPORTED") => " (imported: ACM cannot renew it, import a new one)",
            _ => " (ACM renews its own certificates 60 days ahead: see acm.cert_renewal_ok)",
        };
        Ok(if end <= ctx.now {
            Verdict::fail(format!(
                "expired on {}: clients refuse the connection or are taught to click through warnings{how}",
                end.date_naive()
            ))
        } else if days < min {
            Verdict::fail(format!(
                "expires on {} in {days} day(s), less than the {min}-day minimum{how}",
                end.date_naive()
            ))
        } else {
            Verdict::pass(format!("valid until {} ({days} days)", end.date_naive()))
        })
    })
}

fn cert_key_strength(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cert(ctx, |c| {
        let Some(algo) = c.key_algorithm.as_deref() else {
            return Err(Unknown::new(
                UnknownReason::ParseError,
                LIST,
                "the answer did not give the certificate's key algorithm",
            ));
        };
        if let Some(ec) = algo.strip_prefix("EC_") {
            return Ok(Verdict::pass(format!("an ECDSA key on the curve `{ec}`")));
        }
        match algo.strip_prefix("RSA_").and_then(|b| b.parse::<u32>().ok()) {
            Some(bits) if bits >= 2048 => Ok(Verdict::pass(format!("an RSA key of {bits} bits"))),
            Some(bits) => Ok(Verdict::fail(format!(
                "an RSA key of {bits} bits, below the 2048 bits that NIST has required since 2014: its key can be factored"
            ))),
            None => Err(Unknown::new(
                UnknownReason::ParseError,
                LIST,
                format!("the key algorithm `{algo}` is not one this version knows how to judge"),
            )),
        }
    })
}

fn cert_renewal_ok(ctx: &Context<'_>) -> Vec<Outcome> {
    each_cert(ctx, |c| {
        if c.kind.as_deref() == Some("IMPORTED") {
            return Ok(Verdict::not_applicable(
                "imported: ACM does not renew it (acm.cert_not_expiring watches its end date)",
            ));
        }
        let renewal = match &c.renewal {
            Some(f) => f.get()?,
            None => {
                return Err(Unknown::new(
                    UnknownReason::NotCollected,
                    "acm:DescribeCertificate",
                    "the certificate's renewal state was not read",
                ))
            }
        };
        let reason = |r: &super::evidence::Renewal| {
            r.reason
                .as_deref()
                .map(|x| format!(" (`{x}`)"))
                .unwrap_or_default()
        };
        Ok(match renewal {
            None => Verdict::pass("no managed renewal is pending or failed"),
            Some(r) => match r.status.as_str() {
                "FAILED" => Verdict::fail(format!(
                    "ACM's managed renewal failed{}: the certificate will expire unless it is validated again or replaced",
                    reason(r)
                )),
                "PENDING_VALIDATION" => Verdict::fail(format!(
                    "the managed renewal waits for domain validation{}: ACM cannot renew it until the DNS record or email approval is in place",
                    reason(r)
                )),
                other => Verdict::pass(format!("managed renewal is `{other}`")),
            },
        })
    })
}
