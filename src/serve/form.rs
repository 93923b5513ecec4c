//! The check form: what was filled in, its errors (each tied to the field
//! it is about, for the page's error summary), and the proposal JSON it
//! makes, which the same library check reads as a proposal file.

use super::catalogue::{FieldInfo, FieldKind, OWN_KEYS};
use serde_json::{Map, Number, Value};

/// The form as posted, every value a text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filled {
    pub mandate: Option<String>,
    pub representative: Option<String>,
    pub title: String,
    pub forum: String,
    pub date: String,
    pub topics: Vec<String>,
    /// `field.NAME` values, by name, as posted.
    pub fields: Vec<(String, String)>,
    pub extra_name: String,
    pub extra_value: String,
}

impl Filled {
    /// Reads the posted pairs (a name may repeat: `topic`).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut filled = Filled::default();
        for (name, value) in pairs {
            let value = value.trim().to_string();
            match name.as_str() {
                "mandate" => filled.mandate = Some(value),
                "representative" => filled.representative = Some(value),
                "title" => filled.title = value,
                "forum" => filled.forum = value,
                "date" => filled.date = value,
                "topic" if !value.is_empty() => filled.topics.push(value),
                "extra_name" => filled.extra_name = value,
                "extra_value" => filled.extra_value = value,
                _ => {
                    if let Some(field) = name.strip_prefix("field.") {
                        filled.fields.push((field.to_string(), value));
                    }
                }
            }
        }
        filled
    }

    /// The value posted for field `name` ("" when none).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A mistake in the form: the id of the input it is about and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mistake {
    pub input: String,
    pub message: String,
}

/// The proposal the form describes, as JSON text, or the mistakes that
/// stop it. `fields` says what kind of value each known field takes.
pub(crate) fn proposal(filled: &Filled, fields: &[FieldInfo]) -> Result<String, Vec<Mistake>> {
    let mut mistakes = Vec::new();
    let mut object = Map::new();
    if filled.title.is_empty() {
        mistakes.push(Mistake {
            input: "title".into(),
            message: "Enter the proposal's title, as the paper gives it".into(),
        });
    }
    object.insert("title".into(), Value::String(filled.title.clone()));
    if filled.topics.is_empty() {
        mistakes.push(Mistake {
            input: "topics".into(),
            message: "Choose at least one topic the proposal is about".into(),
        });
    }
    object.insert(
        "topics".into(),
        Value::Array(filled.topics.iter().cloned().map(Value::String).collect()),
    );
    if !filled.forum.is_empty() {
        object.insert("forum".into(), Value::String(filled.forum.clone()));
    }
    if !filled.date.is_empty() {
        if crate::proposal::parse_iso_date(&filled.date).is_none() {
            mistakes.push(Mistake {
                input: "date".into(),
                message: "Enter the meeting date as a real date, for example 2026-12-03".into(),
            });
        }
        object.insert("date".into(), Value::String(filled.date.clone()));
    }
    for (name, text) in &filled.fields {
        // The keys the form asks for apart are never fields (the page
        // offers none by those names).
        if text.is_empty() || OWN_KEYS.contains(&name.split('.').next().unwrap_or("")) {
            continue;
        }
        let known = fields.iter().find(|f| &f.name == name);
        let kind = known.map_or(FieldKind::Text, |f| f.kind);
        // A field only principles read shows no kind: read it as people
        // write it (a number, yes or no, or else a text).
        let principles_only =
            known.is_none_or(|f| f.read_by.iter().all(|by| by.starts_with("principle ")));
        if kind == FieldKind::Text && principles_only {
            insert_path(&mut object, name, guess(text));
            continue;
        }
        match value(kind, text) {
            Ok(value) => insert_path(&mut object, name, value),
            Err(message) => mistakes.push(Mistake {
                input: format!("field-{name}"),
                message,
            }),
        }
    }
    if !filled.extra_name.is_empty() || !filled.extra_value.is_empty() {
        let name = &filled.extra_name;
        let word = |w: &str| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if OWN_KEYS.contains(&name.split('.').next().unwrap_or("")) {
            mistakes.push(Mistake {
                input: "extra-name".into(),
                message: format!(
                    "`{name}` is asked for above: give it there, not as another field"
                ),
            });
        } else if name.is_empty() || !name.split('.').all(word) || name.split('.').count() > 8 {
            mistakes.push(Mistake {
                input: "extra-name".into(),
                message: "Enter the other field's name as a word such as capital_secured (letters, digits and _; dots for a part of a field)".into(),
            });
        } else {
            insert_path(&mut object, name, guess(&filled.extra_value));
        }
    }
    if mistakes.is_empty() {
        serde_json::to_string_pretty(&Value::Object(object)).map_err(|e| {
            vec![Mistake {
                input: "title".into(),
                message: format!("The proposal could not be written: {e}"),
            }]
        })
    } else {
        Err(mistakes)
    }
}

/// The id a proposal from the form is given: its title in lower case,
/// words joined by `-` (`A and G pilot` is `a-and-g-pilot`).
pub(crate) fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "proposal".into()
    } else {
        words.join("-")
    }
}

/// The JSON value of a field of `kind` written as `text`.
fn value(kind: FieldKind, text: &str) -> Result<Value, String> {
    match kind {
        FieldKind::Number => number(text)
            .ok_or_else(|| format!("Enter a number, such as 50000 (you wrote \"{text}\")")),
        FieldKind::YesNo => match text {
            "true" | "yes" => Ok(Value::Bool(true)),
            "false" | "no" => Ok(Value::Bool(false)),
            _ => Err("Choose yes or no".into()),
        },
        FieldKind::Date => match crate::proposal::parse_iso_date(text) {
            Some(_) => Ok(Value::String(text.into())),
            None => Err(format!(
                "Enter a real date, for example 2027-04-01 (you wrote \"{text}\")"
            )),
        },
        FieldKind::List => Ok(Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect(),
        )),
        FieldKind::Text => Ok(Value::String(text.into())),
    }
}

/// A number as people write it: `50000`, `50,000`, `£50,000`, `2.5`.
fn number(text: &str) -> Option<Value> {
    let bare: String = text
        .trim_start_matches(['£', '$', '€'])
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if let Ok(whole) = bare.parse::<i64>() {
        return Some(Value::Number(whole.into()));
    }
    bare.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

/// A value of a field the mandate does not show the kind of: a number,
/// yes/no, or a text.
fn guess(text: &str) -> Value {
    match text {
        "true" | "yes" => Value::Bool(true),
        "false" | "no" => Value::Bool(false),
        _ => number(text).unwrap_or_else(|| Value::String(text.into())),
    }
}

/// Puts `value` at the dotted `path` (`budget.total`) in `object`.
fn insert_path(object: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut here = object;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            here.insert(part.to_string(), value);
            return;
        }
        let entry = here
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        match entry {
            Value::Object(inner) => here = inner,
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, kind: FieldKind) -> FieldInfo {
        FieldInfo {
            name: name.into(),
            kind,
            read_by: vec![],
        }
    }

    #[test]
    fn a_filled_form_is_a_proposal() {
        let pairs: Vec<(String, String)> = [
            ("title", "Pilot"),
            ("topic", "interface.outpatients"),
            ("forum", "Board"),
            ("date", "2026-12-03"),
            ("field.cost", "£50,000"),
            ("field.recurrent", "false"),
            ("field.changes", "a, b"),
            ("extra_name", "budget.total"),
            ("extra_value", "12"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let filled = Filled::from_pairs(&pairs);
        let fields = [
            field("cost", FieldKind::Number),
            field("recurrent", FieldKind::YesNo),
            field("changes", FieldKind::List),
        ];
        let json: Value = serde_json::from_str(&proposal(&filled, &fields).unwrap()).unwrap();
        assert_eq!(json["cost"], 50000);
        assert_eq!(json["recurrent"], false);
        assert_eq!(json["changes"], serde_json::json!(["a", "b"]));
        assert_eq!(json["budget"]["total"], 12);
        assert_eq!(json["topics"], serde_json::json!(["interface.outpatients"]));
    }

    #[test]
    fn a_field_only_principles_read_is_read_as_people_write_it() {
        let pairs: Vec<(String, String)> = [("field.offered", "no"), ("field.risk", "true")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let filled = Filled {
            title: "T".into(),
            topics: vec!["t".into()],
            ..Filled::from_pairs(&pairs)
        };
        let offered = FieldInfo {
            read_by: vec!["principle equity".into()],
            ..field("offered", FieldKind::Text)
        };
        let risk = FieldInfo {
            read_by: vec!["line 3".into()],
            ..field("risk", FieldKind::Text)
        };
        let json: Value =
            serde_json::from_str(&proposal(&filled, &[offered, risk]).unwrap()).unwrap();
        assert_eq!(json["offered"], false);
        assert_eq!(json["risk"], "true", "a rule compares it with a text");
    }

    #[test]
    fn the_form_own_keys_are_not_fields() {
        let pairs: Vec<(String, String)> = [
            ("title", "T"),
            ("topic", "t"),
            ("field.date", "not a date"),
            ("extra_name", "topics"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let mistakes = proposal(&Filled::from_pairs(&pairs), &[]).unwrap_err();
        let inputs: Vec<&str> = mistakes.iter().map(|m| m.input.as_str()).collect();
        assert_eq!(
            inputs,
            ["extra-name"],
            "field.date is ignored; topics is asked for above"
        );
    }

    #[test]
    fn each_mistake_names_its_input() {
        let pairs: Vec<(String, String)> = [("field.cost", "lots"), ("date", "3 Dec")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let filled = Filled::from_pairs(&pairs);
        let mistakes = proposal(&filled, &[field("cost", FieldKind::Number)]).unwrap_err();
        let inputs: Vec<&str> = mistakes.iter().map(|m| m.input.as_str()).collect();
        assert_eq!(inputs, ["title", "topics", "date", "field-cost"]);
    }
}
