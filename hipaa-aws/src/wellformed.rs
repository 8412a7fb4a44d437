//! Refuse XML answers that are not whole documents before any collector sees them.
//!
//! The SDK's generated XML deserializers read what a body holds and stop: a `200 OK` whose body
//! was cut short (by a TLS-inspecting proxy, a middlebox or an emulator) with a matching
//! `Content-Length` parses into a partial answer without error. A partial bucket list or policy
//! list is a false PASS waiting to happen, so every client the scanner builds carries
//! [`WellFormedXml`], which turns such an answer into a response error (`parse_error` in the
//! evidence, ERROR in the findings) naming the operation.
//!
//! The check runs in `read_after_deserialization`: at that point the orchestrator has buffered
//! the body (the hooks before deserialization see a still-streaming body under the default HTTP
//! client), and an error returned there replaces the deserialized output before the caller gets
//! it. Streaming bodies (never used by the scanner) stay unbuffered and are not checked. The pass is
//! a streaming tokenizer (`xmlparser`, which the SDK already uses): no DOM, memory bounded by the
//! nesting depth.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// The interceptor every scanner client carries (see the module notes).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WellFormedXml;

impl Intercept for WellFormedXml {
    fn name(&self) -> &'static str {
        "WellFormedXml"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match context.response().body().bytes() {
            Some(body) => check(body).map_err(BoxError::from),
            None => Ok(()),
        }
    }
}

/// A body that starts like XML must be one whole, well-formed document; any other body (JSON,
/// CBOR, empty) is left to its own deserializer, which already rejects truncation.
pub fn check(body: &[u8]) -> Result<(), String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    if start.map(|i| body[i]) != Some(b'<') {
        return Ok(());
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        format!(
            "the XML answer is not UTF-8 at byte {} of {}",
            e.valid_up_to(),
            body.len()
        )
    })?;
    let mut open: Vec<(&str, &str)> = Vec::new();
    let mut root: Option<&str> = None;
    let mut closed = false;
    for token in xmlparser::Tokenizer::from(text) {
        let token = token.map_err(|e| format!("the XML answer is not well formed: {e}"))?;
        match token {
            xmlparser::Token::ElementStart { prefix, local, .. } => {
                if closed {
                    return Err(format!(
                        "the XML answer has a second root element `{}` after `{}`",
                        local.as_str(),
                        root.unwrap_or_default()
                    ));
                }
                root.get_or_insert(local.as_str());
                open.push((prefix.as_str(), local.as_str()));
            }
            xmlparser::Token::ElementEnd { end, span } => match end {
                xmlparser::ElementEnd::Open => {}
                xmlparser::ElementEnd::Empty => {
                    open.pop();
                    closed = open.is_empty();
                }
                xmlparser::ElementEnd::Close(prefix, local) => {
                    match open.pop() {
                        Some((p, l)) if p == prefix.as_str() && l == local.as_str() => {}
                        Some((_, l)) => {
                            return Err(format!(
                                "the XML answer closes `{}` where `{l}` is open (byte {})",
                                local.as_str(),
                                span.start()
                            ))
                        }
                        None => {
                            return Err(format!(
                                "the XML answer closes `{}` that was never opened",
                                local.as_str()
                            ))
                        }
                    }
                    closed = open.is_empty();
                }
            },
            xmlparser::Token::Text { text }
                if open.is_empty() && !text.as_str().trim().is_empty() =>
            {
                return Err(format!(
                    "the XML answer has text outside its root element (byte {})",
                    text.start()
                ));
            }
            _ => {}
        }
    }
    match (root, open.last()) {
        (None, _) => Err("the XML answer has no root element".into()),
        (Some(_), Some((_, inner))) => Err(format!(
            "the XML answer ends after {} bytes inside `{inner}`, {} element(s) still open: cut short",
            body.len(),
            open.len()
        )),
        (Some(_), None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    const LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>abc</ID></Owner>
  <Buckets><Bucket><Name>phi-a</Name></Bucket><Bucket><Name>phi-b</Name></Bucket></Buckets>
  <x:Empty xmlns:x="urn:x"/>
</ListAllMyBucketsResult>
"#;

    #[test]
    fn whole_documents_and_bodies_that_are_not_xml_pass() {
        assert_eq!(check(LIST.as_bytes()), Ok(()));
        assert_eq!(check(b"\xEF\xBB\xBF<a/>"), Ok(()));
        assert_eq!(check(b"  <a><!-- c --><![CDATA[<x>]]></a>\n"), Ok(()));
        // JSON, CBOR and empty bodies belong to their own deserializers.
        assert_eq!(check(br#"{"Version":"2012-10-17"}"#), Ok(()));
        assert_eq!(check(b"\xbf\x64Keys\x80\xff"), Ok(()));
        assert_eq!(check(b""), Ok(()));
    }

    #[test]
    fn every_cut_of_a_document_is_refused() {
        // Each prefix that still starts with `<` is a cut-short answer: none may pass.
        let bytes = LIST.trim_end().as_bytes();
        let start = LIST.find('<').unwrap_or(0);
        for cut in start + 1..bytes.len() {
            let r = check(&bytes[..cut]);
            assert!(r.is_err(), "a cut at byte {cut} passed: {:?}", &LIST[..cut]);
        }
    }

    #[test]
    fn broken_structure_is_named() {
        let err = |b: &str| check(b.as_bytes()).unwrap_err();
        assert!(err("<a><b></a>").contains("closes `a` where `b` is open"));
        // A second root or text after the root: refused by the tokenizer or by the walk.
        assert!(!err("<a/><b/>").is_empty());
        assert!(!err("<a/>junk").is_empty());
        assert!(err("<a><b>").contains("2 element(s) still open"));
        assert!(err("<a attr=\"x></a>").contains("not well formed"));
        assert!(check(b"<a>\xff</a>")
            .unwrap_err()
            .contains("not UTF-8 at byte 3"));
    }

    /// Through the SDK: a cut-short answer of each XML protocol becomes a response error.
    mod through_the_sdk {
        use crate::collect::mocks::mocked;
        use crate::ledger::classify;
        use aws_smithy_mocks::mock;
        use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
        use aws_smithy_runtime_api::http::StatusCode;
        use aws_smithy_types::body::SdkBody;
        use hipaa_core::UnknownReason;

        fn xml(body: &'static str) -> HttpResponse {
            let mut r = HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::from(body));
            r.headers_mut().insert("content-type", "application/xml");
            r
        }

        const BUCKETS: &str = concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult>"#,
            "<Buckets><Bucket><Name>phi-a</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>",
            "<Bucket><Name>phi-b</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>",
            "<Owner><ID>abc</ID></Owner></ListAllMyBucketsResult>"
        );

        fn cut(whole: &'static str, before: &str) -> &'static str {
            &whole[..whole.find(before).unwrap()]
        }

        #[tokio::test]
        async fn a_whole_bucket_list_is_read() {
            let rule = mock!(aws_sdk_s3::Client::list_buckets).then_http_response(|| xml(BUCKETS));
            let out = mocked!(aws_sdk_s3, &rule)
                .list_buckets()
                .send()
                .await
                .unwrap();
            assert_eq!(out.buckets().len(), 2);
        }

        #[tokio::test]
        async fn a_bucket_list_cut_between_buckets_is_a_parse_error() {
            // Cut where the second bucket starts: without the check the SDK returns one bucket.
            let body = cut(BUCKETS, "<Bucket><Name>phi-b");
            let rule =
                mock!(aws_sdk_s3::Client::list_buckets).then_http_response(move || xml(body));
            let e = mocked!(aws_sdk_s3, &rule)
                .list_buckets()
                .send()
                .await
                .unwrap_err();
            let (reason, detail) = classify(&e);
            assert_eq!(reason, UnknownReason::ParseError, "{detail}");
            assert!(detail.contains("cut short"), "{detail}");
        }

        #[tokio::test]
        async fn an_empty_200_answer_is_refused_by_the_sdk_itself() {
            // Cut to nothing, the body does not start like XML, so the check leaves it to the
            // deserializer, which already refuses it: still a parse error, never an empty list.
            let rule = mock!(aws_sdk_s3::Client::list_buckets).then_http_response(|| xml(""));
            let e = mocked!(aws_sdk_s3, &rule)
                .list_buckets()
                .send()
                .await
                .unwrap_err();
            assert_eq!(classify(&e).0, UnknownReason::ParseError);
            let rule = mock!(aws_sdk_iam::Client::get_account_authorization_details)
                .then_http_response(|| xml(""));
            let e = mocked!(aws_sdk_iam, &rule)
                .get_account_authorization_details()
                .send()
                .await
                .unwrap_err();
            assert_eq!(classify(&e).0, UnknownReason::ParseError);
        }

        #[tokio::test]
        async fn a_cut_bucket_acl_is_a_parse_error() {
            const ACL: &str = concat!(
                r#"<AccessControlPolicy><Owner><ID>abc</ID></Owner><AccessControlList>"#,
                r#"<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">"#,
                "<URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>",
                "</AccessControlList></AccessControlPolicy>"
            );
            let body = cut(ACL, "<Grant>");
            let rule =
                mock!(aws_sdk_s3::Client::get_bucket_acl).then_http_response(move || xml(body));
            let e = mocked!(aws_sdk_s3, &rule)
                .get_bucket_acl()
                .bucket("phi-a")
                .send()
                .await
                .unwrap_err();
            assert_eq!(classify(&e).0, UnknownReason::ParseError);
        }

        #[tokio::test]
        async fn a_cut_query_protocol_answer_is_a_parse_error() {
            const DETAILS: &str = concat!(
                r#"<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#,
                "<GetAccountAuthorizationDetailsResult><IsTruncated>false</IsTruncated><UserDetailList>",
                "<member><UserName>alice</UserName><UserId>AIDA1</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn>",
                "<Path>/</Path><CreateDate>2024-01-01T00:00:00Z</CreateDate>",
                "<AttachedManagedPolicies><member><PolicyName>Admin</PolicyName>",
                "<PolicyArn>arn:aws:iam::123456789012:policy/Admin</PolicyArn></member></AttachedManagedPolicies>",
                "</member></UserDetailList></GetAccountAuthorizationDetailsResult>",
                "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>"
            );
            let rule = mock!(aws_sdk_iam::Client::get_account_authorization_details)
                .then_http_response(|| xml(DETAILS));
            let whole = mocked!(aws_sdk_iam, &rule)
                .get_account_authorization_details()
                .send()
                .await
                .unwrap();
            assert_eq!(whole.user_detail_list().len(), 1);
            // Cut before the user's attached policies: the user would look policy-free.
            let body = cut(DETAILS, "<AttachedManagedPolicies>");
            let rule = mock!(aws_sdk_iam::Client::get_account_authorization_details)
                .then_http_response(move || xml(body));
            let e = mocked!(aws_sdk_iam, &rule)
                .get_account_authorization_details()
                .send()
                .await
                .unwrap_err();
            assert_eq!(classify(&e).0, UnknownReason::ParseError);
        }
    }
}
