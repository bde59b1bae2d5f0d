//! Several stateless instances on one database (PostgreSQL in production; the same tests run on
//! SQLite and, with TEST_DATABASE_URL, on PostgreSQL).

use std::time::{Duration, Instant};

use crate::helpers::*;
use crate::refresh::assert_rotated_once_to;

#[tokio::test]
async fn login_on_a_refresh_and_logout_on_b_and_a_refuses_the_token_within_a_second() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let on_a = a.signed_up("ada@example.com").await;
    let mut on_b = on_a.at(&b.address);
    assert_eq!(on_b.me().await.status, 200, "B verifies what A signed");
    assert_eq!(on_b.refresh().await.status, 200, "B rotates what A issued");
    let mut captured_on_a = on_b.at(&a.address);
    assert_eq!(captured_on_a.me().await.status, 200, "A verifies what B signed");
    assert_eq!(on_b.logout().await.status, 200);
    let logged_out_at = Instant::now();
    while captured_on_a.me().await.status != 401 {
        assert!(logged_out_at.elapsed() < Duration::from_secs(1), "A still accepts the token after 1 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn concurrent_refreshes_split_across_instances_leave_exactly_one_live_token() {
    let a = spawn_app().await;
    let b = a.second_instance().await;
    let browser = a.signed_up("ada@example.com").await;
    let tabs = (0..8).map(|i| browser.at(if i % 2 == 0 { &a.address } else { &b.address })).collect();
    let replies = refresh_concurrently(tabs).await;
    assert!(replies.iter().all(|(status, _)| *status == 200), "{replies:?}");
    let tokens: std::collections::HashSet<_> = replies.into_iter().map(|(_, token)| token).collect();
    assert_eq!(tokens.len(), 1, "both instances handed out the same successor");
    assert_rotated_once_to(&a, &tokens.into_iter().next().flatten().expect("a refresh cookie")).await;
}

#[tokio::test]
async fn the_login_throttle_holds_across_instances() {
    let a = spawn_app_with(&[("LOGIN_MAX_FAILURES", "2")]).await;
    let b = a.second_instance().await;
    a.signed_up("ada@example.com").await;
    assert_eq!(a.browser().login("ada@example.com", "wrong password!").await.status, 401);
    assert_eq!(b.browser().login("ada@example.com", "wrong password!").await.status, 401);
    assert_error(&a.browser().login("ada@example.com", PASSWORD).await, 429, "throttled");
    assert_error(&b.browser().login("ada@example.com", PASSWORD).await, 429, "throttled");
}
