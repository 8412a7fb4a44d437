//! The network map of the VPCs that hold ePHI: subnets and their routes, internet and NAT
//! gateways, peering connections and endpoints, built from the VPC evidence of a snapshot.
//!
//! It is evidence for the proposed rule's network-map requirement, exported as JSON
//! (`hipaa network-map`) and drawn as inline SVG in the HTML report ([`svg::render`]). A VPC is
//! on the map when it carries the PHI tag or runs a PHI-tagged instance or database, and also
//! when that cannot be told (marked so): never silently left off. Every listing that could not
//! be read is named in `gaps`, so a map drawn from partial evidence never looks complete.

pub mod svg;
#[cfg(test)]
mod tests;

use crate::evidence::{Fact, Snapshot};
use crate::rules::Context;
use crate::scope::Scope;
use crate::services::vpc::evidence::{
    NatGateway, PeeringConnection, RouteTable, VpcEndpoint, VpcRegion,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The VPCs that hold (or may hold) ePHI and what connects them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NetworkMap {
    /// When the evidence was collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<DateTime<Utc>>,
    /// The VPCs on the map.
    pub vpcs: Vec<MappedVpc>,
    /// Peering connections with a mapped VPC on either side.
    pub peering_connections: Vec<PeeringConnection>,
    /// What could not be read, per region and listing: the map is incomplete where these are.
    pub gaps: Vec<String>,
}

/// One VPC on the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedVpc {
    /// Region.
    pub region: String,
    /// VPC id.
    pub id: String,
    /// Its `Name` tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Primary IPv4 CIDR block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// `true` when it holds ePHI, `None` when that could not be told.
    pub phi: Option<bool>,
    /// Why it is on the map (its tag, its PHI-tagged workloads, or why that is unknown).
    pub because: String,
    /// Its subnets.
    pub subnets: Vec<MappedSubnet>,
    /// Internet gateways attached to it.
    pub internet_gateways: Vec<String>,
    /// Its NAT gateways.
    pub nat_gateways: Vec<NatGateway>,
    /// Its VPC endpoints.
    pub endpoints: Vec<VpcEndpoint>,
    /// Its route tables.
    pub route_tables: Vec<RouteTable>,
}

/// One subnet and where its traffic can go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedSubnet {
    /// Subnet id.
    pub id: String,
    /// IPv4 CIDR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// Availability Zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// The route table it uses (its own association, else the VPC's main table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
    /// Whether a default route leads to an internet gateway; `None` when routes are unknown.
    pub public: Option<bool>,
    /// The gateways, peering connections and endpoints its routes lead to (not `local`).
    pub routes_to: Vec<String>,
}

fn known<T>(fact: &Fact<Vec<T>>) -> &[T] {
    match fact {
        Fact::Known(v) => v,
        Fact::Unknown(_) => &[],
    }
}

impl NetworkMap {
    /// The map of a snapshot under a scope's PHI rule.
    pub fn from_snapshot(snapshot: &Snapshot, scope: &Scope) -> NetworkMap {
        let ctx = Context {
            snapshot,
            scope,
            now: snapshot.taken_at,
        };
        let mut map = NetworkMap {
            taken_at: Some(snapshot.taken_at),
            ..NetworkMap::default()
        };
        let Some(section) = &snapshot.services.vpc else {
            map.gaps
                .push("this snapshot has no VPC evidence, so no network can be drawn".into());
            return map;
        };
        let mut mapped_ids = BTreeSet::new();
        let mut peerings: Vec<&PeeringConnection> = Vec::new();
        for ev in snapshot.walk(section, "network") {
            let region = match ev.data {
                Ok(r) => r,
                Err(u) => {
                    map.gaps.push(format!("{}: {u}", ev.name));
                    continue;
                }
            };
            let name = ev.name;
            let vpcs = match region.vpcs.get() {
                Ok(v) => v,
                Err(u) => {
                    map.gaps.push(format!("{name}: VPCs: {u}"));
                    continue;
                }
            };
            for (what, unknown) in listing_gaps(region) {
                map.gaps.push(format!("{name}: {what}: {unknown}"));
            }
            let workloads = crate::services::vpc::rules::phi_workloads(&ctx, name);
            for v in vpcs {
                let (phi, because) = if scope.phi.matches(&v.tags) {
                    (Some(true), "tagged as holding ePHI".to_string())
                } else {
                    match &workloads {
                        Ok(w) => match w.get(&v.id) {
                            Some(list) => {
                                (Some(true), format!("runs PHI-tagged {}", list.join(", ")))
                            }
                            None => continue,
                        },
                        Err(u) => (None, format!("whether it holds ePHI is unknown: {u}")),
                    }
                };
                mapped_ids.insert(v.id.clone());
                map.vpcs.push(mapped_vpc(name, region, v, phi, because));
            }
            peerings.extend(known(&region.peering_connections));
        }
        let touches = |p: &PeeringConnection| {
            [&p.requester.vpc_id, &p.accepter.vpc_id]
                .into_iter()
                .flatten()
                .any(|id| mapped_ids.contains(id))
        };
        let mut seen = BTreeSet::new();
        for p in peerings {
            if touches(p) && seen.insert(p.id.clone()) {
                map.peering_connections.push(p.clone());
            }
        }
        map
    }

    /// Whether some listing could not be read.
    pub fn is_complete(&self) -> bool {
        self.gaps.is_empty()
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

fn listing_gaps(r: &VpcRegion) -> Vec<(&'static str, String)> {
    let mut g = Vec::new();
    let mut add = |what: &'static str, u: Option<&crate::evidence::Unknown>| {
        if let Some(u) = u {
            g.push((what, u.to_string()));
        }
    };
    add("subnets", r.subnets.get().err().as_ref());
    add(
        "internet gateways",
        r.internet_gateways.get().err().as_ref(),
    );
    add("NAT gateways", r.nat_gateways.get().err().as_ref());
    add(
        "peering connections",
        r.peering_connections.get().err().as_ref(),
    );
    add("route tables", r.route_tables.get().err().as_ref());
    add("endpoints", r.endpoints.get().err().as_ref());
    g
}

fn mapped_vpc(
    region_name: &str,
    r: &VpcRegion,
    v: &crate::services::vpc::evidence::Vpc,
    phi: Option<bool>,
    because: String,
) -> MappedVpc {
    let in_vpc = |id: &Option<String>| id.as_deref() == Some(v.id.as_str());
    let route_tables: Vec<RouteTable> = known(&r.route_tables)
        .iter()
        .filter(|t| in_vpc(&t.vpc_id))
        .cloned()
        .collect();
    let tables_known = matches!(r.route_tables, Fact::Known(_));
    let main = route_tables.iter().find(|t| t.main);
    let internet_gateways: Vec<String> = known(&r.internet_gateways)
        .iter()
        .filter(|g| g.vpc_ids.contains(&v.id))
        .map(|g| g.id.clone())
        .collect();
    let subnets = known(&r.subnets)
        .iter()
        .filter(|s| in_vpc(&s.vpc_id))
        .map(|s| {
            let table = route_tables
                .iter()
                .find(|t| t.subnet_ids.contains(&s.id))
                .or(main);
            let routes_to: Vec<String> = table
                .map(|t| {
                    let mut to: Vec<String> = t
                        .routes
                        .iter()
                        .filter_map(|r| r.target.clone())
                        .filter(|x| x != "local")
                        .collect();
                    to.sort();
                    to.dedup();
                    to
                })
                .unwrap_or_default();
            let public = match table {
                Some(t) => Some(t.routes.iter().any(|r| {
                    matches!(r.destination.as_deref(), Some("0.0.0.0/0" | "::/0"))
                        && r.target.as_deref().is_some_and(|x| x.starts_with("igw-"))
                        && r.state.as_deref() != Some("blackhole")
                })),
                None if tables_known => Some(false),
                None => None,
            };
            MappedSubnet {
                id: s.id.clone(),
                cidr: s.cidr.clone(),
                availability_zone: s.availability_zone.clone(),
                route_table: table.map(|t| t.id.clone()),
                public,
                routes_to,
            }
        })
        .collect();
    MappedVpc {
        region: region_name.to_string(),
        id: v.id.clone(),
        name: v.tags.get("Name").cloned(),
        cidr: v.cidr.clone(),
        phi,
        because,
        subnets,
        internet_gateways,
        nat_gateways: known(&r.nat_gateways)
            .iter()
            .filter(|n| in_vpc(&n.vpc_id))
            .cloned()
            .collect(),
        endpoints: known(&r.endpoints)
            .iter()
            .filter(|e| in_vpc(&e.vpc_id))
            .cloned()
            .collect(),
        route_tables,
    }
}
