//! What the well-formedness pass over XML answers costs: throughput on IAM-shaped documents of
//! 4 KB (a typical answer), 1 MB and 10 MB (a large `GetAccountAuthorizationDetails` page).
//!
//! `cargo run --release -p hipaa-aws --example bench_wellformed` prints the figures; it asserts
//! nothing about time.

use std::time::Instant;

/// An IAM `GetAccountAuthorizationDetails`-shaped answer of about `bytes` bytes.
fn document(bytes: usize) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated><UserDetailList>"#,
    );
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "<member><UserName>user-{i}</UserName><UserId>AIDA{i:016}</UserId><Arn>arn:aws:iam::123456789012:user/user-{i}</Arn><Path>/</Path><CreateDate>2024-01-01T00:00:00Z</CreateDate><AttachedManagedPolicies><member><PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></AttachedManagedPolicies><UserPolicyList/><GroupList><member>auditors</member></GroupList></member>"
        ));
        i += 1;
    }
    s.push_str("</UserDetailList></GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>");
    s
}

fn main() {
    println!("| answer | size | best of 20 | throughput |");
    println!("|---|---:|---:|---:|");
    for (label, size) in [("typical", 4 << 10), ("large", 1 << 20), ("huge", 10 << 20)] {
        let doc = document(size);
        let mut best = f64::INFINITY;
        for _ in 0..20 {
            let t = Instant::now();
            let r = hipaa_aws::check_well_formed_xml(doc.as_bytes());
            best = best.min(t.elapsed().as_secs_f64());
            assert!(r.is_ok(), "the benchmark document is well formed: {r:?}");
        }
        let mb = doc.len() as f64 / 1e6;
        println!(
            "| {label} | {:.1} KB | {:.1} µs | {:.0} MB/s |",
            doc.len() as f64 / 1e3,
            best * 1e6,
            mb / best
        );
    }
    // A cut answer is refused after the same single pass.
    let doc = document(1 << 20);
    let cut = &doc.as_bytes()[..doc.len() / 2];
    let t = Instant::now();
    let r = hipaa_aws::check_well_formed_xml(cut);
    println!(
        "a 1 MB answer cut in half: refused in {:.1} µs ({})",
        t.elapsed().as_secs_f64() * 1e6,
        r.err().unwrap_or_default()
    );
}
