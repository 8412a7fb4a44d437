//! The network map drawn as one self-contained inline SVG: a column per VPC with its subnets
//! (coloured by whether a default route reaches an internet gateway), the gateways above it,
//! its endpoints below, and peering connections as lines between columns. Nothing is fetched.

use super::{MappedVpc, NetworkMap};
use std::collections::BTreeMap;
use std::fmt::Write;

const COL_W: f64 = 380.0;
/// Roughly the width of one character of the 11px labels.
const CHAR_W: f64 = 6.7;
const GAP: f64 = 70.0;
const TOP: f64 = 40.0;
const GW_H: f64 = 34.0;
const ROW_H: f64 = 40.0;
const HEAD_H: f64 = 48.0;
const CHIP_H: f64 = 20.0;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

fn subnet_colour(public: Option<bool>) -> (&'static str, &'static str) {
    match public {
        Some(true) => ("#ffebee", "public: default route to an internet gateway"),
        Some(false) => (
            "#e8f5e9",
            "private: no default route to an internet gateway",
        ),
        None => ("#eeeeee", "routes unknown"),
    }
}

/// Height of one VPC column: gateways, header, subnets, endpoints.
fn column_height(v: &MappedVpc) -> f64 {
    let endpoints = (v.endpoints.len() as f64 / 2.0).ceil();
    GW_H + 10.0 + HEAD_H + ROW_H * v.subnets.len().max(1) as f64 + CHIP_H * endpoints + 24.0
}

/// The SVG, or a short paragraph when there is nothing to draw.
pub fn render(map: &NetworkMap) -> String {
    if map.vpcs.is_empty() {
        return "<p id=\"network-map-empty\">No VPC that holds ePHI was found in the evidence.</p>"
            .into();
    }
    let mut external: Vec<String> = Vec::new();
    let on_map: BTreeMap<&str, usize> = map
        .vpcs
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    for p in &map.peering_connections {
        for side in [&p.requester, &p.accepter] {
            if let Some(id) = &side.vpc_id {
                if !on_map.contains_key(id.as_str()) && !external.contains(id) {
                    external.push(id.clone());
                }
            }
        }
    }
    let cols = map.vpcs.len() + usize::from(!external.is_empty());
    let width = cols as f64 * (COL_W + GAP) + GAP;
    let tallest = map.vpcs.iter().map(column_height).fold(0.0, f64::max);
    let peer_rows = map.peering_connections.len() as f64 * 18.0;
    let height = TOP + tallest + 40.0 + peer_rows + 60.0;
    let mut o = format!(
        "<svg id=\"network-map\" class=\"chart\" role=\"img\" aria-label=\"Network map of the VPCs that hold ePHI\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\">"
    );
    let _ = write!(
        o,
        "<text x=\"{GAP}\" y=\"20\" font-weight=\"bold\">Network map: VPCs that hold ePHI{}</text>",
        if map.is_complete() {
            ""
        } else {
            " (incomplete: some listings could not be read)"
        }
    );
    let mut title_y: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (i, v) in map.vpcs.iter().enumerate() {
        let x = GAP + i as f64 * (COL_W + GAP);
        title_y.insert(v.id.as_str(), (x, TOP + GW_H + 10.0 + 20.0));
        draw_vpc(&mut o, v, x);
    }
    if !external.is_empty() {
        let x = GAP + map.vpcs.len() as f64 * (COL_W + GAP);
        for (k, id) in external.iter().enumerate() {
            let y = TOP + GW_H + 10.0 + k as f64 * 50.0;
            let _ = write!(
                o,
                "<g class=\"peer-vpc\" data-vpc=\"{}\"><rect x=\"{x}\" y=\"{y}\" width=\"{COL_W}\" height=\"36\" rx=\"6\" fill=\"#fafafa\" stroke=\"#9e9e9e\" stroke-dasharray=\"5 3\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">peer <tspan font-family=\"monospace\">{}</tspan> (not on the map: holds no known ePHI or is another account's)</text></g>",
                esc(id),
                x + 8.0,
                y + 22.0,
                esc(id)
            );
            title_y.insert(id.as_str(), (x, y + 18.0));
        }
    }
    // Peering connections: a line between the two VPCs' headers, labelled below the columns.
    let legend_y = TOP + tallest + 30.0;
    for (k, p) in map.peering_connections.iter().enumerate() {
        let ends: Vec<(f64, f64)> = [&p.requester.vpc_id, &p.accepter.vpc_id]
            .into_iter()
            .flatten()
            .filter_map(|id| title_y.get(id.as_str()).copied())
            .collect();
        if let [(x1, y1), (x2, y2)] = ends.as_slice() {
            let (a, b) = if x1 <= x2 {
                ((x1 + COL_W, *y1), (*x2, *y2))
            } else {
                ((x2 + COL_W, *y2), (*x1, *y1))
            };
            let _ = write!(
                o,
                "<line class=\"peering\" data-id=\"{}\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#6a1b9a\" stroke-width=\"2\" stroke-dasharray=\"6 3\"><title>{} {}</title></line>",
                esc(&p.id),
                a.0,
                a.1,
                b.0,
                b.1,
                esc(&p.id),
                esc(p.status.as_deref().unwrap_or("status unknown"))
            );
        }
        let side = |s: &crate::services::vpc::evidence::PeerVpc| {
            format!(
                "{} ({}, {})",
                s.vpc_id.as_deref().unwrap_or("?"),
                s.owner.as_deref().unwrap_or("account ?"),
                s.region.as_deref().unwrap_or("region ?")
            )
        };
        let _ = write!(
            o,
            "<text x=\"{GAP}\" y=\"{:.1}\" font-size=\"12\" fill=\"#6a1b9a\">peering {}: {} ⇄ {} [{}]</text>",
            legend_y + k as f64 * 18.0,
            esc(&p.id),
            esc(&side(&p.requester)),
            esc(&side(&p.accepter)),
            esc(p.status.as_deref().unwrap_or("status unknown"))
        );
    }
    let ly = legend_y + peer_rows + 14.0;
    for (i, public) in [Some(true), Some(false), None].into_iter().enumerate() {
        let (fill, label) = subnet_colour(public);
        let x = GAP + i as f64 * 330.0;
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{ly}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"#757575\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{label}</text>",
            x + 20.0,
            ly + 12.0
        );
    }
    o.push_str("</svg>");
    o
}

fn draw_vpc(o: &mut String, v: &MappedVpc, x: f64) {
    let h = column_height(v);
    let _ = write!(o, "<g class=\"vpc\" data-vpc=\"{}\">", esc(&v.id));
    // Gateways above the VPC box, joined to it.
    let mut gx = x;
    for g in &v.internet_gateways {
        let label = format!("internet gateway {g}");
        let w = label.chars().count() as f64 * CHAR_W + 16.0;
        let _ = write!(
            o,
            "<g class=\"igw\" data-id=\"{}\"><rect x=\"{gx}\" y=\"{TOP}\" width=\"{w:.1}\" height=\"24\" rx=\"12\" fill=\"#ffcdd2\" stroke=\"#c62828\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text><line x1=\"{:.1}\" y1=\"{}\" x2=\"{:.1}\" y2=\"{}\" stroke=\"#c62828\" stroke-width=\"2\"/></g>",
            esc(g),
            gx + 8.0,
            TOP + 16.0,
            esc(&label),
            gx + w / 2.0,
            TOP + 24.0,
            gx + w / 2.0,
            TOP + GW_H + 10.0,
        );
        gx += w + 10.0;
    }
    let by = TOP + GW_H + 10.0;
    let (stroke, phi_label) = match v.phi {
        Some(true) => ("#c62828", "ePHI"),
        _ => ("#ef6c00", "ePHI unknown"),
    };
    let _ = write!(
        o,
        "<rect x=\"{x}\" y=\"{by}\" width=\"{COL_W}\" height=\"{:.1}\" rx=\"8\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"2\"><title>{}</title></rect>",
        h - GW_H - 10.0,
        esc(&v.because)
    );
    let title = match &v.name {
        Some(n) => format!("{} ({n})", v.id),
        None => v.id.clone(),
    };
    let badge_w = phi_label.chars().count() as f64 * CHAR_W + 12.0;
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" font-weight=\"bold\" font-size=\"13\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#616161\">{} · {}</text><rect x=\"{:.1}\" y=\"{}\" width=\"{badge_w:.1}\" height=\"16\" rx=\"3\" fill=\"{stroke}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\" font-weight=\"bold\" fill=\"#ffffff\">{phi_label}</text>",
        x + 10.0,
        by + 18.0,
        esc(&truncate(&title, ((COL_W - badge_w - 30.0) / 7.5) as usize)),
        x + 10.0,
        by + 36.0,
        esc(&v.region),
        esc(v.cidr.as_deref().unwrap_or("CIDR unknown")),
        x + COL_W - badge_w - 8.0,
        by + 6.0,
        x + COL_W - badge_w - 2.0,
        by + 18.0,
    );
    let mut y = by + HEAD_H;
    // Characters that fit on a subnet row (10-11px text).
    let fit = ((COL_W - 40.0) / CHAR_W) as usize;
    if v.subnets.is_empty() {
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#757575\">no subnets listed</text>",
            x + 12.0,
            y + 20.0
        );
    }
    for s in &v.subnets {
        let (fill, what) = subnet_colour(s.public);
        let nats: Vec<&str> = v
            .nat_gateways
            .iter()
            .filter(|n| n.subnet_id.as_deref() == Some(s.id.as_str()))
            .map(|n| n.id.as_str())
            .collect();
        let head = format!(
            "{} {} {}",
            s.id,
            s.cidr.as_deref().unwrap_or(""),
            s.availability_zone.as_deref().unwrap_or("")
        );
        let routes = if s.routes_to.is_empty() {
            "routes: local only".to_string()
        } else {
            format!("routes to {}", s.routes_to.join(", "))
        };
        let nat = if nats.is_empty() {
            String::new()
        } else {
            format!(" · NAT {}", nats.join(", "))
        };
        let _ = write!(
            o,
            "<g class=\"subnet\" data-id=\"{}\" data-public=\"{}\"><rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{fill}\" stroke=\"#9e9e9e\"><title>{}</title></rect><text x=\"{}\" y=\"{}\" font-size=\"11\" font-family=\"monospace\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#424242\">{}</text></g>",
            esc(&s.id),
            match s.public {
                Some(true) => "true",
                Some(false) => "false",
                None => "unknown",
            },
            x + 10.0,
            COL_W - 20.0,
            ROW_H - 6.0,
            esc(&format!("{what}; {routes}{nat}")),
            x + 16.0,
            y + 14.0,
            esc(&truncate(head.trim(), fit)),
            x + 16.0,
            y + 28.0,
            esc(&truncate(&format!("{routes}{nat}"), fit + 4))
        );
        y += ROW_H;
    }
    for (k, e) in v.endpoints.iter().enumerate() {
        let cx = x + 10.0 + (k % 2) as f64 * (COL_W / 2.0 - 5.0);
        let cy = y + (k / 2) as f64 * CHIP_H;
        let service = e.service_name.rsplit('.').next().unwrap_or(&e.service_name);
        let _ = write!(
            o,
            "<g class=\"endpoint\" data-id=\"{}\"><rect x=\"{cx}\" y=\"{cy}\" width=\"{}\" height=\"{}\" rx=\"9\" fill=\"#e3f2fd\" stroke=\"#1565c0\"><title>{} ({})</title></rect><text x=\"{}\" y=\"{}\" font-size=\"10\">endpoint {} ({})</text></g>",
            esc(&e.id),
            COL_W / 2.0 - 15.0,
            CHIP_H - 4.0,
            esc(&e.service_name),
            esc(e.endpoint_type.as_deref().unwrap_or("type unknown")),
            cx + 8.0,
            cy + 12.0,
            esc(service),
            esc(e.endpoint_type.as_deref().unwrap_or("?"))
        );
    }
    o.push_str("</g>");
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n - 1).collect();
        format!("{cut}…")
    }
}
