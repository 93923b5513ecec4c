//! A test case's failure in words: each [`Difference`] between what a case
//! expects and what the check gave, as one line a rule author can act on.

use crate::check::PrincipleOutcome;
use crate::testing::Difference;

/// One difference in words: "outcome: expected agree, got refer".
pub fn difference(difference: &Difference) -> String {
    match difference {
        Difference::Outcome { expected, got } => format!(
            "outcome: expected {}, got {}",
            expected.as_str(),
            got.as_str()
        ),
        Difference::RedirectTo { expected, got } => format!(
            "redirect_to: expected {}, got {}",
            list(expected),
            list(got)
        ),
        Difference::Principle { id, expected, got } => match got {
            Some(got) => format!(
                "principle {id}: expected {}, got {}",
                result(*expected),
                result(*got)
            ),
            None => format!(
                "principle {id}: expected {}, but the mandate has no principle `{id}`",
                result(*expected)
            ),
        },
        Difference::Priorities { expected, got } => {
            format!("priorities: expected {}, got {}", list(expected), list(got))
        }
        Difference::ReasonMissing { text } => {
            format!("reasons: none contains \"{text}\"")
        }
        Difference::Contradiction {
            agrees,
            other,
            topics,
            example,
        } => format!(
            "contradiction: `{agrees}` may agree to {} where `{other}` must decline (run `mandate analyze`); for example {example}",
            topics.join(", ")
        ),
        Difference::CheckFailed { message } => format!("the check could not be made: {message}"),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        format!("[{}]", items.join(", "))
    }
}

fn result(outcome: PrincipleOutcome) -> &'static str {
    match outcome {
        PrincipleOutcome::Upheld => "upheld",
        PrincipleOutcome::Violated => "violated",
        PrincipleOutcome::Error => "error",
    }
}
