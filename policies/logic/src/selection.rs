//! The default server selection: weighted least-loaded among up servers with room, the
//! shopper's region first.

use crate::get;

pub struct Candidate<'a> {
    pub id: &'a str,
    pub region: &'a str,
    pub capacity: u32,
    pub active_clients: u32,
    pub up: bool,
}

/// Ranked (id, weight), best first; or why none will do.
pub fn rank(
    config: &[(String, String)],
    preferred_region: Option<&str>,
    candidates: &[Candidate<'_>],
) -> Result<Vec<(String, u32)>, String> {
    let mut ranked: Vec<(bool, u32, &str)> = candidates
        .iter()
        .filter(|c| c.up && c.active_clients < c.capacity)
        .filter_map(|c| {
            let weight = get(config, &format!("weight.{}", c.id))
                .and_then(|w| w.parse::<u32>().ok())
                .unwrap_or(1);
            let free = u64::from(c.capacity - c.active_clients) * 1000 / u64::from(c.capacity);
            let score = (free * u64::from(weight)).min(u64::from(u32::MAX)) as u32;
            let home = preferred_region == Some(c.region);
            (weight > 0).then_some((home, score, c.id))
        })
        .collect();
    if ranked.is_empty() {
        return Err("No server that is up has free capacity.".into());
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    Ok(ranked
        .into_iter()
        .map(|(_, weight, id)| (id.to_owned(), weight))
        .collect())
}
