//! Fuzz entry point: whatever a 3x-ui panel of either generation might answer, read the way the
//! gateway reads it. Nothing a panel sends may panic the gateway; what it accepts must give
//! links the shop can hand out (one line each, a `vless://` URL).

use super::Envelope;
use super::model::{PanelClient, PanelInbound, PanelStatus, PanelTraffic};
use crate::links::{LinkClient, vless_links};

/// One answer body: the JSON envelope, then its `obj` read as every route's answer.
pub fn panel_response(data: &[u8]) {
    let Ok(envelope) = serde_json::from_slice::<Envelope>(data) else {
        return;
    };
    let obj = &envelope.obj;
    // inbounds/list (both generations) and inbounds/get/{id}.
    for v in obj.as_array().into_iter().flatten().chain([obj]) {
        if let Ok(inbound) = PanelInbound::parse(v) {
            read_inbound(&inbound);
        }
        // clients/list entries (3.1+).
        let _ = PanelTraffic::from_g3_record(v);
    }
    // clients/get/{email} (3.1+).
    if let Ok(client) = PanelClient::from_g3(obj) {
        read_client(&client);
    }
    let _ = PanelStatus::parse(obj);
}

fn read_inbound(inbound: &PanelInbound) {
    let _ = inbound.client_count();
    let _ = inbound.traffic();
    let link_inbound = inbound.link_inbound();
    let _ = crate::links::vision_allowed(&link_inbound);
    for client in inbound.clients() {
        read_client(&client);
        let links = vless_links(
            &link_inbound,
            &LinkClient {
                uuid: client.uuid(),
                email: client.email(),
                flow: client.flow(),
                sub_id: client.sub_id(),
            },
            "vpn.example.com",
        );
        for link in links {
            assert!(link.starts_with("vless://"), "not a VLESS link: {link:?}");
            assert!(
                !link.contains(['\n', '\r', ' ']),
                "a link the shop cannot hand out: {link:?}"
            );
        }
    }
}

fn read_client(client: &PanelClient) {
    let _ = (
        client.email(),
        client.total_bytes(),
        client.expiry_ms(),
        client.limit_ip(),
        client.enable(),
        client.is_retired(),
    );
    let mut copy = client.clone();
    copy.set_total_bytes(1);
    copy.set_expiry_ms(1);
    copy.set_enable(!client.enable());
    assert_eq!(copy.email(), client.email(), "an update changed the email");
}
