//! Endpoints: the metadata's host per region → `servers` (the host the client uses) and
//! `info.x-acs-endpoints` (every region's host, as published).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::json::{Node, Problem};

/// What the importer writes about endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoints {
    /// `central` (one host for every region) or `regional` (a host per region).
    pub rule: &'static str,
    /// The `servers` list.
    pub servers: Vec<Value>,
    /// Region ID → host, sorted by region ID.
    pub by_region: BTreeMap<String, String>,
    /// The VPC host of a regional product whose hosts follow `<name>.{regionId}.aliyuncs.com`:
    /// `<name>-vpc.{regionId}.aliyuncs.com`, the rule the official SDKs apply for the `vpc`
    /// network.
    pub vpc: Option<String>,
}

/// Reads `endpoints` (a list of `{regionId, endpoint}`). `None` when the list is empty.
pub fn read(list: Option<Node>) -> Result<Option<Endpoints>, Problem> {
    let mut by_region: BTreeMap<String, String> = BTreeMap::new();
    let Some(list) = list else {
        return Ok(None);
    };
    for entry in list.items()? {
        let region = entry.require("regionId")?.str()?.trim();
        let host = entry.require("endpoint")?.str()?.trim();
        if region.is_empty() || host.is_empty() {
            continue;
        }
        by_region
            .entry(region.to_owned())
            .or_insert_with(|| host.to_owned());
    }
    if by_region.is_empty() {
        return Ok(None);
    }
    // Each region's host with the region written as `{regionId}`; the most common template
    // is what the client uses (ties: the first in name order).
    let mut templates: BTreeMap<String, usize> = BTreeMap::new();
    for (region, host) in &by_region {
        *templates
            .entry(host.replace(region.as_str(), "{regionId}"))
            .or_default() += 1;
    }
    let total = by_region.len();
    let (template, count) = templates
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(t, c)| (t.clone(), *c))
        .expect("at least one region");
    let regional = template.contains("{regionId}");
    let which = if count == total {
        "every region listed".to_owned()
    } else {
        format!(
            "{count} of the {total} regions listed; the others have hosts of their own (see info.x-acs-endpoints), which the client reaches when configured with that endpoint"
        )
    };
    let mut server = Map::new();
    server.insert("url".into(), format!("https://{template}").into());
    server.insert(
        "description".into(),
        format!("The host of {which}. Source: the endpoints of the official API metadata.").into(),
    );
    if regional {
        let default_region = ["cn-hangzhou"]
            .into_iter()
            .find(|r| by_region.contains_key(*r))
            .map(str::to_owned)
            .unwrap_or_else(|| by_region.keys().next().cloned().unwrap_or_default());
        let mut variable = Map::new();
        variable.insert("default".into(), default_region.into());
        variable.insert(
            "description".into(),
            "The region ID, e.g. cn-hangzhou.".into(),
        );
        let mut variables = Map::new();
        variables.insert("regionId".into(), Value::Object(variable));
        server.insert("variables".into(), Value::Object(variables));
    }
    let vpc = template
        .strip_suffix(".{regionId}.aliyuncs.com")
        .filter(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .map(|name| format!("{name}-vpc.{{regionId}}.aliyuncs.com"));
    Ok(Some(Endpoints {
        rule: if regional { "regional" } else { "central" },
        servers: vec![Value::Object(server)],
        by_region,
        vpc,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_host_is_central_and_a_host_per_region_is_regional() {
        let central = json!([{"regionId": "cn-beijing", "endpoint": "rm.aliyuncs.com"}, {"regionId": "cn-hangzhou", "endpoint": "rm.aliyuncs.com\t"}]);
        let endpoints = read(Some(Node::root(&central))).unwrap().unwrap();
        assert_eq!(endpoints.rule, "central");
        assert_eq!(endpoints.servers[0]["url"], "https://rm.aliyuncs.com");
        let regional = json!([{"regionId": "cn-beijing", "endpoint": "m.cn-beijing.aliyuncs.com"}, {"regionId": "cn-hangzhou", "endpoint": "m.cn-hangzhou.aliyuncs.com"}, {"regionId": "ap-x", "endpoint": "m.aliyuncs.com"}]);
        let endpoints = read(Some(Node::root(&regional))).unwrap().unwrap();
        assert_eq!(endpoints.rule, "regional");
        assert_eq!(
            endpoints.servers[0]["url"],
            "https://m.{regionId}.aliyuncs.com"
        );
        assert_eq!(
            endpoints.servers[0]["variables"]["regionId"]["default"],
            "cn-hangzhou"
        );
        assert_eq!(endpoints.by_region["ap-x"], "m.aliyuncs.com");
        assert_eq!(
            endpoints.vpc.as_deref(),
            Some("m-vpc.{regionId}.aliyuncs.com")
        );
        assert_eq!(read(Some(Node::root(&json!([])))).unwrap(), None);
    }
}
