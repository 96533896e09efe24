//! External object lists: pages of objects with `pagination` and `links`, and the list
//! filters of OParl 1.1 (`created_since`, `created_until`, `modified_since`,
//! `modified_until`, `omit_internal`) as a pure function over a list, so a web service can
//! answer `/oparl/…?modified_since=…` from the same objects the static export writes.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value, json};

/// Objects per page of the static export.
pub const PER_PAGE: usize = 100;

/// The filters a client may put on a list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub created_since: Option<DateTime<FixedOffset>>,
    pub created_until: Option<DateTime<FixedOffset>>,
    pub modified_since: Option<DateTime<FixedOffset>>,
    pub modified_until: Option<DateTime<FixedOffset>>,
    /// Leave out the objects embedded in each element (OParl's internal output).
    pub omit_internal: bool,
}

/// The objects of `objects` that pass `filter`, in their order. An object without the time
/// a bound asks about does not pass that bound.
pub fn filter(objects: &[Value], filter: &Filter) -> Vec<Value> {
    let time = |object: &Value, key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    };
    let within = |object: &Value,
                  key: &str,
                  since: Option<DateTime<FixedOffset>>,
                  until: Option<DateTime<FixedOffset>>| {
        if since.is_none() && until.is_none() {
            return true;
        }
        time(object, key)
            .is_some_and(|t| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u))
    };
    objects
        .iter()
        .filter(|o| within(o, "created", filter.created_since, filter.created_until))
        .filter(|o| within(o, "modified", filter.modified_since, filter.modified_until))
        .map(|o| {
            if filter.omit_internal {
                omit_internal(o)
            } else {
                o.clone()
            }
        })
        .collect()
}

/// The object without the OParl objects embedded in it (single ones and lists of them).
fn omit_internal(object: &Value) -> Value {
    let Some(map) = object.as_object() else {
        return object.clone();
    };
    let kept: Map<String, Value> = map
        .iter()
        .filter(|(_, value)| match value {
            Value::Object(_) => !is_oparl_object(value),
            Value::Array(items) => items.is_empty() || !items.iter().all(is_oparl_object),
            _ => true,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(kept)
}

fn is_oparl_object(value: &Value) -> bool {
    value
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("https://schema.oparl.org/"))
}

/// Page `page` (1-based) of a list of `objects`, `per_page` each; `url` gives a page's URL.
/// An empty list has one empty page.
pub fn page(
    objects: &[Value],
    page: usize,
    per_page: usize,
    url: impl Fn(usize) -> String,
) -> Value {
    let per_page = per_page.max(1);
    let total_pages = objects.len().div_ceil(per_page).max(1);
    let page = page.clamp(1, total_pages);
    let data: Vec<Value> = objects
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let mut links = Map::new();
    links.insert("first".into(), Value::String(url(1)));
    if page > 1 {
        links.insert("prev".into(), Value::String(url(page - 1)));
    }
    links.insert("self".into(), Value::String(url(page)));
    if page < total_pages {
        links.insert("next".into(), Value::String(url(page + 1)));
    }
    links.insert("last".into(), Value::String(url(total_pages)));
    json!({
        "data": data,
        "pagination": {
            "totalElements": objects.len(),
            "elementsPerPage": per_page,
            "currentPage": page,
            "totalPages": total_pages,
        },
        "links": links,
    })
}

/// Every page of a list.
pub fn pages(objects: &[Value], per_page: usize, url: impl Fn(usize) -> String) -> Vec<Value> {
    let total = objects.len().div_ceil(per_page.max(1)).max(1);
    (1..=total)
        .map(|n| page(objects, n, per_page, &url))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(id: u32, created: &str, modified: &str) -> Value {
        json!({
            "id": format!("https://x.example/paper/{id}.json"),
            "type": "https://schema.oparl.org/1.1/Paper",
            "created": created,
            "modified": modified,
            "mainFile": {"id": "https://x.example/file/1.json", "type": "https://schema.oparl.org/1.1/File"},
            "consultation": [{"id": "https://x.example/c/1.json", "type": "https://schema.oparl.org/1.1/Consultation"}],
            "relatedPaper": ["https://x.example/paper/9.json"],
        })
    }

    fn at(text: &str) -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339(text).ok()
    }

    fn ids(list: &[Value]) -> Vec<u32> {
        list.iter()
            .filter_map(|o| o["id"].as_str())
            .filter_map(|id| id.trim_end_matches(".json").rsplit('/').next())
            .filter_map(|n| n.parse().ok())
            .collect()
    }

    #[test]
    fn filters_by_created_and_modified_inclusively() {
        let list = vec![
            obj(1, "2021-01-01T10:00:00+01:00", "2021-03-01T10:00:00+01:00"),
            obj(2, "2021-02-01T10:00:00+01:00", "2021-02-02T10:00:00+01:00"),
            obj(3, "2021-03-01T10:00:00+01:00", "2021-04-01T10:00:00+02:00"),
        ];
        let none = Filter::default();
        assert_eq!(ids(&filter(&list, &none)), vec![1, 2, 3]);
        let since = Filter {
            created_since: at("2021-02-01T10:00:00+01:00"),
            ..Filter::default()
        };
        assert_eq!(ids(&filter(&list, &since)), vec![2, 3]);
        let until = Filter {
            created_until: at("2021-02-01T09:00:00Z"),
            ..Filter::default()
        };
        assert_eq!(ids(&filter(&list, &until)), vec![1, 2]);
        let modified = Filter {
            modified_since: at("2021-02-15T00:00:00+01:00"),
            modified_until: at("2021-03-31T23:59:59+02:00"),
            ..Filter::default()
        };
        assert_eq!(ids(&filter(&list, &modified)), vec![1]);
        let missing = vec![json!({"id": "https://x.example/paper/4.json"})];
        assert!(filter(&missing, &since).is_empty());
        assert_eq!(filter(&missing, &none).len(), 1);
    }

    #[test]
    fn omit_internal_drops_embedded_objects_only() {
        let list = vec![obj(
            1,
            "2021-01-01T10:00:00+01:00",
            "2021-01-01T10:00:00+01:00",
        )];
        let out = filter(
            &list,
            &Filter {
                omit_internal: true,
                ..Filter::default()
            },
        );
        let object = out[0].as_object().unwrap();
        assert!(!object.contains_key("mainFile"));
        assert!(!object.contains_key("consultation"));
        assert_eq!(object["relatedPaper"][0], "https://x.example/paper/9.json");
        assert_eq!(object["created"], "2021-01-01T10:00:00+01:00");
    }

    #[test]
    fn pages_link_to_each_other() {
        let list: Vec<Value> = (1..=5)
            .map(|n| obj(n, "2021-01-01T10:00:00+01:00", "2021-01-01T10:00:00+01:00"))
            .collect();
        let url = |n: usize| format!("https://x.example/paper-{n}.json");
        let all = pages(&list, 2, url);
        assert_eq!(all.len(), 3);
        assert_eq!(ids(all[0]["data"].as_array().unwrap()), vec![1, 2]);
        assert_eq!(all[0]["links"]["next"], "https://x.example/paper-2.json");
        assert!(all[0]["links"].get("prev").is_none());
        assert_eq!(all[2]["links"]["prev"], "https://x.example/paper-2.json");
        assert!(all[2]["links"].get("next").is_none());
        assert_eq!(all[2]["pagination"]["totalPages"], 3);
        assert_eq!(all[2]["pagination"]["totalElements"], 5);
        let empty = pages(&[], 100, url);
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0]["data"], json!([]));
    }
}
