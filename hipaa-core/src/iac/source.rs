//! What every converter hands to the services: the resources of one template or plan, each
//! with its resolved properties and where it is written, and the links between them.

use super::value::{open, Val};
use crate::evidence::{Location, OpenFact, TemplateResource, Unknown};
use crate::services::Services;
use std::collections::BTreeMap;

/// Which language the code is written in, which decides the resource type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// CloudFormation (also what the CDK synthesizes): `AWS::S3::Bucket`, `BucketName`.
    CloudFormation,
    /// A Terraform plan: `aws_s3_bucket`, `bucket`.
    Terraform,
}

/// One resource of the code.
#[derive(Debug, Clone, PartialEq)]
pub struct Res {
    /// Logical id, or Terraform address with its instance key (`aws_s3_bucket.b["x"]`).
    pub id: String,
    /// Type, as written (`AWS::S3::Bucket`, `aws_s3_bucket`).
    pub kind: String,
    /// Properties (Terraform: the planned attributes).
    pub props: Val,
    /// Where it is defined.
    pub location: Option<Location>,
    /// Why it may not be created at all (a condition that cannot be decided), if so.
    pub maybe: Option<String>,
    /// The address without the instance key (`aws_s3_bucket.b`); the id for CloudFormation.
    pub base: String,
    /// The `count` index or `for_each` key, as Terraform writes it (`0`, `"x"`).
    pub key: Option<String>,
    /// Terraform: the resources each attribute path refers to (`bucket` → `aws_s3_bucket.b`).
    pub refs: BTreeMap<String, Vec<String>>,
    /// Terraform: the arguments and blocks the configuration sets (the rest are the provider's
    /// defaults or computed); empty for CloudFormation.
    pub configured: std::collections::BTreeSet<String>,
}

impl Res {
    /// The tags the resource will carry: CloudFormation's `Tags` (or `cfn_key` for types that
    /// name them otherwise, such as `FileSystemTags`); for Terraform `tags_all`, which adds the
    /// provider's `default_tags`, else `tags`. Unknown when a key or value is open.
    pub fn tags(&self, cfn_key: &str) -> Result<crate::evidence::Tags, Unknown> {
        if self.kind.starts_with("AWS::") || self.kind.contains("::") {
            return self.props.get(cfn_key).tags(cfn_key);
        }
        match self.props.get("tags_all") {
            Val::Null => self.props.get("tags").tags("tags"),
            all => all.tags("tags_all"),
        }
    }

    /// Whether the resource has tags at all (for the tagged inventory).
    pub fn has_tags(&self, cfn_key: &str) -> bool {
        ["tags_all", "tags", cfn_key]
            .iter()
            .any(|k| !self.props.get(k).is_null())
    }
}

/// The resources of one template or plan, and what stands in for the deploy's account and region.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Which language.
    pub dialect: Dialect,
    /// The file it came from.
    pub file: String,
    /// The region it deploys to (a stand-in when the code does not say).
    pub region: String,
    /// The account it deploys to (a stand-in when the code does not say).
    pub account: String,
    /// The partition (`aws`).
    pub partition: String,
    /// Its resources, in the order written.
    pub resources: Vec<Res>,
}

/// Where a property that names another resource leads.
#[derive(Debug)]
pub enum Link<'a> {
    /// The property is not set.
    None,
    /// A resource of the code.
    To(&'a Res),
    /// Something the code does not define (an existing bucket, an imported key), by name.
    Outside(String),
    /// Which resource it names is unknown until apply.
    Open(Unknown),
}

impl Source {
    /// The stand-in ARN of a resource of this source.
    pub fn arn(&self, r: &Res) -> String {
        super::names::arn(&r.kind, &r.id, &self.place())
    }

    /// Where this source's stand-ins are built.
    pub fn place(&self) -> super::names::Place<'_> {
        super::names::Place {
            partition: &self.partition,
            region: &self.region,
            account: &self.account,
        }
    }

    /// Whether this is a CloudFormation template (else a Terraform plan).
    pub fn is_cfn(&self) -> bool {
        self.dialect == Dialect::CloudFormation
    }

    /// Every resource of one of these types.
    pub fn of<'a>(&'a self, kinds: &[&str]) -> impl Iterator<Item = &'a Res> + use<'a> {
        let found: Vec<&'a Res> = self
            .resources
            .iter()
            .filter(|r| kinds.contains(&r.kind.as_str()))
            .collect();
        found.into_iter()
    }

    /// Where the property at `path` of `res` leads, among resources of `kinds`; `name_of` gives
    /// a resource's physical name when the code fixes it, so a literal name links too.
    pub fn link<'a>(
        &'a self,
        res: &Res,
        path: &[&str],
        kinds: &[&str],
        name_of: impl Fn(&Res) -> Option<String>,
    ) -> Link<'a> {
        let label = path.join(".");
        let v = res.props.at(path);
        // Terraform: the configuration's references say which resource, even when the value is
        // computed at apply.
        if let Some(targets) = res.refs.get(&label) {
            for t in targets {
                let same: Vec<&Res> = self
                    .resources
                    .iter()
                    .filter(|r| (r.base == *t || r.id == *t) && kinds.contains(&r.kind.as_str()))
                    .collect();
                match same.as_slice() {
                    [] => continue,
                    [one] => return Link::To(one),
                    many => {
                        // `count`/`for_each` on both sides: the instance with the same key.
                        if let Some(r) = many.iter().find(|r| r.id == *t) {
                            return Link::To(r);
                        }
                        if let Some(k) = &res.key {
                            if let Some(r) = many.iter().find(|r| r.key.as_ref() == Some(k)) {
                                return Link::To(r);
                            }
                        }
                        return Link::Open(open(
                            &label,
                            format!(
                                "it refers to one of the {} instances of `{t}`, which one is known only after apply",
                                many.len()
                            ),
                        ));
                    }
                }
            }
        }
        self.link_value(&label, v, kinds, name_of)
    }

    /// Where a value that names another resource leads (see [`Source::link`]).
    fn link_value<'a>(
        &'a self,
        label: &str,
        v: &Val,
        kinds: &[&str],
        name_of: impl Fn(&Res) -> Option<String>,
    ) -> Link<'a> {
        match v {
            Val::Null => Link::None,
            Val::Ref { target, .. } => {
                match self
                    .resources
                    .iter()
                    .find(|r| r.id == *target && kinds.contains(&r.kind.as_str()))
                {
                    Some(r) => Link::To(r),
                    None => Link::Outside(target.clone()),
                }
            }
            Val::Str(name) => {
                // A literal name: the resource of the code with that name, or one outside it.
                let name = name.rsplit([':', '/']).next().unwrap_or(name);
                match self
                    .of(kinds)
                    .find(|r| name_of(r).as_deref() == Some(name) || r.id == name)
                {
                    Some(r) => Link::To(r),
                    None => Link::Outside(name.to_string()),
                }
            }
            other => Link::Open(open(
                label,
                other
                    .why_open()
                    .unwrap_or_else(|| format!("expected a name, found {}", other.kind())),
            )),
        }
    }

    /// The resources of `kinds` whose property at `path` (a name or a list of names) leads to
    /// `target`, among resources of `target_kinds`. Unknown when one of them names a resource
    /// known only at apply, which may be `target`.
    pub fn attached<'a>(
        &'a self,
        target: &Res,
        kinds: &[&str],
        path: &[&str],
        target_kinds: &[&str],
        name_of: impl Fn(&Res) -> Option<String> + Copy,
    ) -> Result<Vec<&'a Res>, Unknown> {
        let label = path.join(".");
        let mut found = Vec::new();
        let mut open_one = None;
        for r in self.of(kinds) {
            let links: Vec<Link<'a>> = match r.props.at(path) {
                Val::List(items) if !r.refs.contains_key(&label) => items
                    .iter()
                    .map(|v| self.link_value(&label, v, target_kinds, name_of))
                    .collect(),
                _ => vec![self.link(r, path, target_kinds, name_of)],
            };
            for l in links {
                match l {
                    Link::To(t) if t.id == target.id => {
                        found.push(r);
                        break;
                    }
                    Link::Open(u) => {
                        open_one.get_or_insert(Unknown {
                            detail: format!(
                                "`{}` applies to a resource known only at apply, which may be this one ({})",
                                r.id, u.detail
                            ),
                            ..u
                        });
                    }
                    _ => {}
                }
            }
        }
        match open_one {
            Some(u) if found.is_empty() => Err(u),
            _ => Ok(found),
        }
    }
}

/// Everything converted so far: the service sections and the resource index.
#[derive(Debug)]
pub struct Converted {
    /// The snapshot's time, standing in for "at deploy" (a secret set to rotate is rotated then).
    pub now: chrono::DateTime<chrono::Utc>,
    /// The service sections.
    pub services: Services,
    /// Every resource that became evidence, with its stand-in ARN and open facts.
    pub resources: Vec<TemplateResource>,
    /// The AWS-managed keys the code uses without naming them (`aws/rds`), as (region, alias,
    /// stand-in ARN); the KMS section lists them so the rules can tell them from customer keys.
    pub aws_keys: Vec<(String, String, String)>,
}

impl Converted {
    /// Nothing converted yet.
    pub fn new(now: chrono::DateTime<chrono::Utc>) -> Converted {
        Converted {
            now,
            services: Services::default(),
            resources: Vec::new(),
            aws_keys: Vec::new(),
        }
    }

    /// The stand-in ARN of the AWS-managed key a service uses when the code names none
    /// (`aws/rds`, `aws/dynamodb`), recorded for the KMS section.
    pub fn aws_managed_key(&mut self, src: &Source, alias: &str) -> String {
        let arn = format!(
            "arn:{}:kms:{}:{}:key/{}",
            src.partition,
            src.region,
            src.account,
            alias.replace('/', "-")
        );
        let entry = (src.region.clone(), alias.to_string(), arn.clone());
        if !self.aws_keys.contains(&entry) {
            self.aws_keys.push(entry);
        }
        arn
    }

    /// Record that `res` became evidence under `arn`; a resource that may not be created at all
    /// has every finding ERROR.
    pub fn add(&mut self, res: &Res, arn: &str) {
        if self
            .resources
            .iter()
            .any(|r| r.arn == arn && r.id == res.id)
        {
            return;
        }
        let mut open_facts = Vec::new();
        if let Some(why) = &res.maybe {
            open_facts.push(OpenFact {
                controls: vec!["*".into()],
                unknown: open("Condition", why.clone()),
            });
        }
        self.resources.push(TemplateResource {
            id: res.id.clone(),
            arn: arn.to_string(),
            kind: res.kind.clone(),
            location: res.location.clone(),
            open: open_facts,
        });
    }

    /// A fact the evidence holds as a plain value but the code leaves open: every finding of
    /// `controls` about `res` becomes ERROR with `unknown`.
    pub fn open(&mut self, res: &Res, arn: &str, controls: &[&str], unknown: Unknown) {
        self.add(res, arn);
        if let Some(r) = self
            .resources
            .iter_mut()
            .find(|r| r.arn == arn && r.id == res.id)
        {
            let fact = OpenFact {
                controls: controls.iter().map(|c| c.to_string()).collect(),
                unknown,
            };
            if !r.open.contains(&fact) {
                r.open.push(fact);
            }
        }
    }

    /// A plain value read from the code, or `fallback` (the worst case) with the controls that
    /// read it marked open.
    pub fn or_open<T>(
        &mut self,
        res: &Res,
        arn: &str,
        controls: &[&str],
        read: Result<T, Unknown>,
        fallback: T,
    ) -> T {
        match read {
            Ok(v) => v,
            Err(u) => {
                self.open(res, arn, controls, u);
                fallback
            }
        }
    }
}
