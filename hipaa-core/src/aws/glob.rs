//! Wildcard patterns, one matcher for the three dialects AWS and our scope file use.
//!
//! - IAM policies: `*` and `?`, case-insensitive ([`iam`]).
//! - Scope-file exclusions and waivers: `*` and `?`, case-sensitive ([`wildcard`]).
//! - AWS Backup selections: only `*` is special, case-sensitive ([`star`]).

/// IAM's action and service-prefix match: `*` any run, `?` one character, ASCII case ignored.
pub fn iam(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        matches(pattern.as_bytes(), text.as_bytes(), Some(b'?'), |a, b| {
            a.eq_ignore_ascii_case(&b)
        })
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        matches(&p, &t, Some('?'), |a, b| {
            a == b || a.to_lowercase().eq(b.to_lowercase())
        })
    }
}

/// `*` any run, `?` one character, exact case: the scope file's resource patterns.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    matches(&p, &t, Some('?'), |a, b| a == b)
}

/// Only `*` is special (any run), exact case: AWS Backup's resource and tag-value patterns.
pub fn star(pattern: &str, text: &str) -> bool {
    matches(pattern.as_bytes(), text.as_bytes(), None, |a, b| a == b)
}

/// Iterative glob with single-star backtracking: O(len(p) * len(t)) worst case, no recursion.
fn matches<T: Copy + PartialEq + From<u8>>(
    pattern: &[T],
    text: &[T],
    one: Option<T>,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let star = T::from(b'*');
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position of the last `*` seen and the text position it is currently absorbing up to.
    let mut resume: Option<(usize, usize)> = None;
    while let Some(&t) = text.get(ti) {
        match pattern.get(pi) {
            Some(&p) if p == star => {
                resume = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some(&p) if Some(p) == one || eq(p, t) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            Some((star_at, absorbed)) => {
                pi = star_at + 1;
                ti = absorbed + 1;
                resume = Some((star_at, absorbed + 1));
            }
            None => return false,
        }
    }
    pattern
        .get(pi..)
        .is_some_and(|rest| rest.iter().all(|&p| p == star))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_three_dialects() {
        assert!(wildcard("*", "anything"));
        assert!(wildcard("arn:aws:s3:::a*b", "arn:aws:s3:::axxb"));
        assert!(!wildcard("arn:aws:s3:::a*b", "arn:aws:s3:::axxc"));
        assert!(wildcard("k?y", "key"));
        assert!(!wildcard("", "x"));
        assert!(!wildcard("Key", "key"));
        assert!(iam("s3:Get*", "S3:GETOBJECT"));
        assert!(iam("kms:?ncrypt", "kms:Encrypt"));
        assert!(star("arn:aws:rds:*:*:db:*", "arn:aws:rds:us-east-1:1:db:x"));
        assert!(!star("k?y", "key"));
        assert!(star("k?y", "k?y"));
        assert!(star("", ""));
        assert!(!star("", "x"));
        assert!(star("a*", "a"));
        assert!(wildcard("ü*", "über"));
        assert!(iam("Ü*", "über"));
    }

    #[test]
    fn wildcard_patterns() {
        let t = "arn:aws:dynamodb:us-east-1:111122223333:table/patients";
        assert!(star("*", t));
        assert!(star(t, t));
        assert!(star("arn:aws:dynamodb:*:*:table/*", t));
        assert!(star("arn:aws:dynamodb:*:*:table/pat*s", t));
        assert!(star("*:table/patients", t));
        assert!(!star("arn:aws:dynamodb:*:*:table/visits", t));
        assert!(!star("arn:aws:rds:*", t));
        assert!(!star(
            "arn:aws:dynamodb:us-east-1:111122223333:table/pat",
            t
        ));
        assert!(!star("", t));
        assert!(!star("*:table/patients-*", t));
        // `?` is not a wildcard in AWS Backup selections.
        assert!(!star(
            "arn:aws:dynamodb:us-east-1:111122223333:table/patient?",
            t
        ));
        assert!(!star("ab*b", "ab"));
        assert!(star("ab*b", "abb"));
    }

    proptest! {
        #[test]
        fn a_text_matches_itself_and_star(text in "[a-z:/*?]{0,20}") {
            let literal = text.replace(['*', '?'], "x");
            prop_assert!(wildcard(&literal, &literal));
            prop_assert!(star(&literal, &literal));
            prop_assert!(iam(&literal, &literal.to_uppercase()));
            prop_assert!(wildcard("*", &text) && star("*", &text) && iam("*", &text));
        }
    }
}
