//! Any proposal against the Ashdown example: the decision invariants of
//! DESIGN.md section 4 hold for every representative.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::check::{Outcome, PrincipleOutcome};
use mandate::{Mandate, Proposal};
use std::sync::OnceLock;

fn mandate() -> &'static Mandate {
    static MANDATE: OnceLock<Mandate> = OnceLock::new();
    MANDATE.get_or_init(|| {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rules/ashdown/ashdown.mandate");
        match Mandate::load(&path, day).mandate {
            Some(mandate) => mandate,
            None => panic!("the Ashdown example has errors"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(proposal) = Proposal::from_json(text, "fuzz") else {
        return;
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    for decision in mandate().check_all(&proposal, day).into_iter().flatten() {
        // The overall outcome is at least every topic's outcome.
        assert!(decision.topics.iter().all(|t| t.outcome <= decision.outcome));
        // redirect_to is sorted, without repeats, and present exactly when
        // some topic is redirected.
        assert!(decision.redirect_to.windows(2).all(|w| w[0] < w[1]));
        let redirected = decision.topics.iter().any(|t| t.outcome == Outcome::Redirect);
        assert_eq!(redirected, !decision.redirect_to.is_empty());
        // Unknown never agrees; an erroring principle never agrees.
        if decision.outcome == Outcome::Agree {
            let unknown = decision
                .topics
                .iter()
                .flat_map(|t| t.rules.iter().flatten())
                .any(|r| r.condition == "unknown" && r.effect != mandate::compile::Effect::MayAgree);
            assert!(!unknown);
            assert!(decision
                .principles
                .iter()
                .all(|p| p.result != PrincipleOutcome::Error));
        }
        // The same input gives the same JSON.
        let again = mandate().check(&proposal, &decision.representative, day);
        assert_eq!(again.ok().as_ref(), Some(&decision));
    }
});
