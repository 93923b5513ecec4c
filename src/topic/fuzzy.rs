//! "Did you mean": the closest known name to a mistyped one.
//!
//! The one fuzzy matcher, beside the topic matcher and below every stage:
//! `validate` (undeclared and misspelt topics, forums) and `check`
//! (unknown topics, an unknown representative) all ask here. A
//! suggestion is a courtesy, so its cost is bounded whatever the input:
//! long names get none, the edit distance is computed only for names of
//! comparable length and stops as soon as it cannot be close enough, and
//! one call does a bounded amount of work.

/// Names longer than this many characters get no suggestion, and are never
/// suggested: a typo in a name that long is better found by reading it.
pub const MAX_SUGGESTION_CHARS: usize = 64;

/// Most edit-distance steps (one per pair of characters compared) one
/// suggestion may take; past it, the best candidate found so far stands.
pub const MAX_SUGGESTION_STEPS: usize = 200_000;

/// Most "did you mean" searches one validation, or one check, makes: the
/// first mistakes found get a suggestion, the rest are reported without.
pub const MAX_SUGGESTIONS: usize = 20;

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo (about one edit per three characters).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut steps = MAX_SUGGESTION_STEPS;
    did_you_mean_within(word, candidates, &mut steps)
}

/// [`did_you_mean`], spending at most `steps` edit-distance steps and
/// taking those it spends from `steps`: a caller making many searches
/// bounds them all with one budget.
pub fn did_you_mean_within<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    steps: &mut usize,
) -> Option<&'a str> {
    let word = short_chars(word)?;
    let mut best: Option<(&str, usize)> = None;
    for candidate in candidates {
        let Some(other) = short_chars(candidate) else {
            continue;
        };
        if other == word {
            continue;
        }
        // None for very short names, where any other short name would
        // look "close"; and only strictly better than the best so far.
        let allowed = word.len().max(other.len()) / 3;
        let bound = match best {
            Some((_, d)) => allowed.min(d.saturating_sub(1)),
            None => allowed,
        };
        if bound == 0 || word.len().abs_diff(other.len()) > bound {
            continue;
        }
        let cost = word.len() * other.len();
        if cost > *steps {
            break;
        }
        *steps -= cost;
        if let Some(distance) = bounded_distance(&word, &other, bound) {
            best = Some((candidate, distance));
        }
    }
    best.map(|(c, _)| c)
}

/// The characters of `name`, unless it is longer than
/// [`MAX_SUGGESTION_CHARS`] (decided without reading a long name through).
fn short_chars(name: &str) -> Option<Vec<char>> {
    // A char is at most 4 bytes: a longer text has too many characters.
    if name.len() > 4 * MAX_SUGGESTION_CHARS {
        return None;
    }
    let chars: Vec<char> = name.chars().collect();
    (chars.len() <= MAX_SUGGESTION_CHARS).then_some(chars)
}

/// The edit distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of neighbours, each counting one), if it is at
/// most `bound`; `None` as soon as it is certainly more.
fn bounded_distance(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    // Three rows of the classic table: the one before last (for swaps),
    // the last, and the one being filled.
    let mut before: Vec<usize> = Vec::new();
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut previous_char: Option<char> = None;
    for (i, ca) in a.iter().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = last
                .get(j)
                .map_or(usize::MAX, |d| d + usize::from(ca != cb));
            let delete = last.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = row.last().map_or(usize::MAX, |d| d + 1);
            let mut best = substitute.min(delete).min(insert);
            let swapped = j > 0 && previous_char == Some(*cb) && b.get(j - 1) == Some(ca);
            if swapped {
                if let Some(d) = before.get(j - 1) {
                    best = best.min(d + usize::from(ca != cb));
                }
            }
            row.push(best);
        }
        // Every path to the end passes through this row: once all of it is
        // past the bound, so is the distance.
        if row.iter().min().is_none_or(|m| *m > bound) {
            return None;
        }
        before = std::mem::replace(&mut last, row);
        previous_char = Some(*ca);
    }
    last.last().copied().filter(|d| *d <= bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_names_only() {
        let known = ["interface.outpatients", "services.virtual_wards", "funding"];
        assert_eq!(
            did_you_mean("interface.outpatient", known),
            Some("interface.outpatients")
        );
        assert_eq!(did_you_mean("fundng", known), Some("funding"));
        assert_eq!(did_you_mean("fudning", known), Some("funding"));
        assert_eq!(did_you_mean("estates", known), None);
    }

    #[test]
    fn prefers_the_closest() {
        let known = ["fundings", "funding"];
        assert_eq!(did_you_mean("fundin", known), Some("funding"));
    }

    #[test]
    fn bounded_distance_agrees_with_strsim_within_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kitten",
            "sitting",
            "funding",
            "fundng",
            "interface",
            "interfaec",
            "ca",
            "abc",
        ];
        for a in words {
            for b in words {
                let exact = strsim::osa_distance(a, b);
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for bound in 0..8 {
                    let got = bounded_distance(&ca, &cb, bound);
                    let want = (exact <= bound).then_some(exact);
                    assert_eq!(got, want, "{a:?} {b:?} bound {bound}");
                }
            }
        }
    }

    #[test]
    fn long_names_get_no_suggestion() {
        let long = "a".repeat(MAX_SUGGESTION_CHARS + 1);
        let close = format!("{}b", "a".repeat(MAX_SUGGESTION_CHARS));
        assert_eq!(did_you_mean(&long, [close.as_str()]), None);
        let at_limit = "a".repeat(MAX_SUGGESTION_CHARS);
        let near = format!("{}b", "a".repeat(MAX_SUGGESTION_CHARS - 1));
        assert_eq!(
            did_you_mean(&at_limit, [near.as_str()]),
            Some(near.as_str())
        );
    }
}
