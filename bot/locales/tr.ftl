# NebulaLinks: Türkçe. en.ftl ile aynı anahtarlar ve değişkenler (bot/tests/locales.rs denetler).

## Birimler ve kısa sözcükler

duration-days = { $days } gün
devices-any = sınırsız cihaz
devices-count = { $count } cihaz
traffic-unlimited = sınırsız
traffic-gb = { $amount } GB
traffic-mb = { $amount } MB
used-of = { $used } / { $limit }
used-unlimited = { $used } (sınırsız)
region-in = { $region } bölgesinde

state-awaiting_method = ödeme yöntemi bekliyor
state-awaiting_proof = ödeme kanıtı bekliyor
state-under_review = inceleniyor
state-provisioning = hazırlanıyor
state-fulfilled = tamamlandı
state-declined = reddedildi
state-cancelled = iptal edildi
state-timed_out = süresi doldu
state-failed = başarısız oldu

status-active = etkin
status-suspended = askıda
status-expired = süresi doldu
status-deleted = silindi

## Mağaza paneli ve paket seçimi

panel-title = VPN erişimi
panel-empty = Şu an satışta paket yok. Daha sonra tekrar bakın.
panel-intro = **Erişim satın al** ile bir paket seçin. Yöntemlerimizden biriyle ödeyin, ekran görüntüsünü yükleyin; bir yönetici onaylar onaylamaz bağlantınızı alın.
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = Erişim satın al
button-subscriptions = Aboneliklerim
button-help = Yardım
button-language = Dil
picker-free-trial = ücretsiz deneme
picker-option-detail = { $duration }, { $traffic }
picker-placeholder = Bir paket seçin
picker-with-coupon = **{ $coupon }** kuponuyla fiyatlar:
picker-question = Hangi paketi istersiniz?
button-coupon = Kuponum var
nothing-on-sale = Şu an satışta bir şey yok. Daha sonra tekrar bakın.
help-text = **Nasıl çalışır**
    1. **Erişim satın al**'a basın ve bir paket seçin (varsa bir kupon da).
    2. Size özel bir kanal açılır: nasıl ödeyeceğinizi seçin ve talimatları izleyin.
    3. Ödemenizin ekran görüntüsünü oraya yükleyin.
    4. Bir yönetici kontrol eder; bağlantınız ve QR kodunuz kanala ve özel mesaj olarak gelir.

    Bağlantılarınızı, kullanımınızı ve bitiş tarihini **Aboneliklerim** gösterir; oradan yenileyebilirsiniz: yenilemede bağlantı aynı kalır.

## Diller

language-question = Mağaza sizinle hangi dilde konuşsun?
language-placeholder = Bir dil seçin
language-chosen = Mağaza bundan sonra size Türkçe yazacak.

## Formlar

coupon-modal-title = Kupon kullan
coupon-modal-field = Kupon kodu
coupon-empty = Lütfen bir kupon kodu girin.
transfer-modal-title = USDT (TRC-20) transferiniz
transfer-modal-field = İşlem kimliği (hash)
decline-modal-title = Ödemeyi reddet
decline-modal-field = Gerekçe (alıcı görür)
form-expired = Bu formun süresi doldu.
button-expired = Bu düğme artık geçerli değil.

## Sipariş açma

order-opening = Siparişiniz açılıyor…
order-open-soon = **{ $code }** siparişiniz açıldı; özel kanalınız birazdan görünecek.
order-open-in = **{ $code }** siparişiniz { $channel } kanalında açık.
order-open-then-pay = Ödeme yöntemini orada seçin.
order-open-then-trial = Erişiminiz birazdan orada görünecek.
pick-plan-from-list = Lütfen listeden bir paket seçin.
pick-plan = Lütfen bir paket seçin.
plan-gone = Bu paket artık satışta değil.
order-channel-topic = { $code } siparişi: { $plan }

## Sipariş kanalı

field-plan = Paket
field-price = Fiyat
field-shopper = Alıcı
field-method = Yöntem
field-flags = İşaretler
field-screenshot = Ekran görüntüsü
field-region = Bölge
field-expires = Bitiş
field-traffic = Trafik
field-devices = Cihazlar
field-status = Durum
field-used = Kullanılan
plan-summary = { $plan } ({ $duration }, { $traffic }, { $devices })
price-total = **Toplam: { $total }**
order-footer = Sipariş { $code }
order-title-new = Siparişiniz
order-title-renewal = Yenilemeniz
order-choose-method = Nasıl ödeyeceğinizi seçin. Ekran görüntüsünü yükleyene kadar fikrinizi değiştirebilirsiniz.
button-cancel = İptal
trial-title = Ücretsiz denemeniz
trial-description = Ödenecek bir şey yok: erişiminiz hazırlanıyor ve birazdan burada görünecek.
method-chosen = **{ $method }** talimatları kanalda.
instructions-title = { $method } ile ödeme
instructions-then-screenshot = Ardından **ödemenizin ekran görüntüsünü bu kanala yükleyin** (PNG, JPEG, WebP veya GIF).
instructions-then-tron = Ardından **Ödedim**'e basın ve işlem kimliğini yapıştırın: mağaza ağda kontrol eder ve erişiminizi hemen hazırlar. (Bir yönetici için ekran görüntüsü de yükleyebilirsiniz.)
instructions-then-link = Ödeme bağlantınız birazdan gelecek; orada ödedikten sonra erişiminiz kendiliğinden hazırlanır.
button-paid = Ödedim
checkout-title = { $method } ile { $amount } öde
checkout-description = Aşağıdaki ödeme sayfasını açın. Ödeme onaylanır onaylanmaz erişiminiz burada kendiliğinden hazırlanır: ekran görüntüsü gerekmez.
checkout-button = { $amount } öde
order-cancelled = **{ $code }** siparişi iptal edildi.

## Ekran görüntüleri

proof-not-yours = Bu siparişin ödeme ekran görüntüsünü yalnızca { $owner } gönderebilir.
proof-not-image = Lütfen ekran görüntüsünü resim olarak yükleyin (PNG, JPEG, WebP veya GIF).
proof-too-large = Bu resim çok büyük; sınır { $mb } MB.
proof-not-now = Bu sipariş { $state }; ekran görüntüsü beklemiyor.

## USDT transferleri

usdt-not-set-up = Bu mağazada USDT ödemeleri kurulmamış.
transfer-refused = { $why } Bir yönetici için ödemenizin ekran görüntüsünü buraya da yükleyebilirsiniz.
transfer-paid = Ödeme alındı. Erişiminiz şimdi hazırlanıyor.
transfer-review = Transferiniz ulaştı, ancak { $why }. Bir yönetici kısa süre içinde bakacak.
transfer-already = Bu transfer bu sipariş için zaten sayıldı.
transfer-not-awaiting = Bu sipariş artık ödeme beklemiyor; transferiniz bir yöneticiye bildirildi.
transfer-not-a-txid = Bu bir TRON işlem kimliği değil (64 onaltılık karakter).
transfer-not-found = TRON ağında bu kimlikle bir işlem bulunamadı.
transfer-failed = Bu işlem ağda başarısız oldu; para aktarılmadı.
transfer-not-confirmed = Bu işlem henüz onaylanmadı ({ $have } / { $need } onay); bir dakika sonra tekrar deneyin.
transfer-not-solidified = Bu işlem henüz kesinleşmedi; bir dakika sonra tekrar deneyin.
transfer-not-a-transfer = Bu işlem bir token transferi değil.
transfer-wrong-token = Bu transfer { $symbol } değil (başka bir token aktarılmış).
transfer-wrong-recipient = Bu transfer mağazanın değil, başka bir adrese gitmiş.
transfer-before-order = Bu transfer, sipariş açılmadan önce yapılmış.
transfer-wrong-currency = Bu mağazanın { $symbol } kuru { $rate } cinsinden; sipariş ise { $order } cinsinden.
transfer-network-down = TRON ağına şu an ulaşılamıyor; lütfen bir dakika sonra tekrar deneyin.

## Ödeme farkları

difference-wrong-currency = { $got } ile ödendi, sipariş { $expected } cinsinden
difference-underpaid = { $got } ödendi, ödenmesi gereken { $expected } tutarından az
difference-overpaid = { $got } ödendi, ödenmesi gereken { $expected } tutarından fazla
difference-paid-late = fatura süresi dolduktan sonra ödendi

## İnceleme (yöneticiler)

review-title = İncelenecek ödeme
flag-first-order = 🆕 ilk sipariş
flag-duplicate-proof = ⚠️ aynı ekran görüntüsü { $code } siparişinde kullanılmış
flag-payment = 💳 { $provider } { $reference }: { $paid } ödendi
screenshot-gone = artık saklanmıyor
button-approve = Onayla
button-decline = Reddet
review-approved-by = ✅ { $admin } onayladı
review-declined-by = ❌ { $admin } reddetti
review-paid = ✅ { $provider } üzerinden otomatik ödendi; inceleme gerekmez.
order-approved = **{ $code }** siparişi onaylandı; erişim hazırlanıyor.
order-declined = **{ $code }** siparişi reddedildi; alıcıya nedeni bildirildi.
order-retrying = **{ $code }** siparişi yeniden deneniyor.
alert-title = ⚠️ İlgilenilmesi gerekiyor
button-retry = Yeniden dene

## Erişim

access-title-ready = Erişiminiz hazır
access-title-renewed = Erişiminiz yenilendi
access-import = Bu bağlantıyı VLESS uygulamanıza (v2rayNG, Hiddify, Streisand, ...) aktarın ya da QR kodunu tarayın. Kimseyle paylaşmayın.
access-multi = Paketiniz ortak bir kotayla { $count } sunucuda çalışır. Aşağıdaki abonelik bağlantısı hepsini içerir; isterseniz her sunucu için bir bağlantı aktarın. Kimseyle paylaşmayın.
links-alternatives = Bağlanmazsa aynı sunucunun başka bir adresini deneyin:
links-more-in-subscription = (ve abonelik bağlantınızda { $count } tane daha)
links-more-ask = (ve { $count } tane daha: bir yöneticiye sorun)
field-personal-url = Abonelik bağlantınız
personal-url-explained = Uygulamanıza abonelik olarak ekleyin: tüm erişiminizi taşır, kendiliğinden yenilenir ve yenilemede değişmez.
field-subscription-url = Abonelik bağlantısı

## Sipariş kanalındaki bildirimler

notice-under-review-title = İnceleniyor
notice-under-review = Teşekkürler! Ödemeniz inceleniyor. Onaylanır onaylanmaz bağlantınız buraya gelecek.
notice-declined-title = Ödeme reddedildi
notice-declined = Ödemeniz reddedildi: { $reason }
    Bir yanlışlık olduğunu düşünüyorsanız bir yöneticiyle iletişime geçin.
notice-cancelled-title = Sipariş iptal edildi
notice-cancelled-by-admin = Bir yönetici bu siparişi iptal etti.
notice-cancelled-by-you = Bu siparişi iptal ettiniz. Ücret alınmadı.
notice-timed-out-title = Siparişin süresi doldu
notice-timed-out = Bu sipariş zamanında ödenmediği için kapatıldı. Mağazadan yeni bir sipariş başlatabilirsiniz.
notice-delayed-title = Neredeyse hazır
notice-delayed = Ödemeniz onaylandı, ancak erişiminizi hazırlarken bir sorun çıktı. Bir yöneticiye haber verildi, halledecek.
notice-paid-title = Ödeme alındı
notice-paid = { $provider } ödemeniz onaylandı. Erişiminiz şimdi hazırlanıyor.
notice-paid-review-title = Ödeme inceleniyor
notice-paid-review = { $provider } ödemeniz ulaştı, ancak { $why }. Bir yönetici bakıp size burada dönecek.

## Özel mesajla bildirimler

sub-ending-title = Erişiminiz yakında bitiyor
sub-ending = **{ $plan }** erişiminiz { $when } tarihinde bitiyor. Aynı bağlantıyı korumak için şimdi yenileyin.
sub-expired-title = Erişiminiz sona erdi
sub-expired = **{ $plan }** erişiminiz { $when } tarihinde sona erdi. Aynı bağlantıyla yeniden açmak için yenileyin.
sub-traffic-out-title = Trafik bitti
sub-traffic-out = **{ $plan }** erişiminiz { $limit } kotasının tamamını kullandı ve durduruldu. Aynı bağlantıda yeni kota için yenileyin.
sub-traffic-low-title = Trafik azalıyor
sub-traffic-low = **{ $plan }** erişiminiz trafiğinin %{ $percent } kadarını kullandı ({ $used } / { $limit }).
sub-device-limit-title = Cihaz sınırına ulaşıldı
sub-device-limit = { $device } aboneliğinizi kullanmak istedi, ancak paketiniz { $devices } izin veriyor ve hepsi kullanımda. Artık kullanmadığınız birini **Cihazlarım** bölümünden kaldırın, sonra uygulamayı yenileyin.
sub-device-new = Yeni bir cihaz
sub-moved-title = Erişiminiz taşındı
sub-moved = **{ $plan }** sunucularınızdan biri ({ $from }) hizmetten çıkarıldı, bu yüzden erişiminiz artık başka bir sunucuda ({ $to }) çalışıyor. Kişisel abonelik bağlantınızı kullanan uygulamalar bunu bir sonraki yenilemede alır; elle kopyaladığınız tek bir bağlantıyı **Aboneliklerim** bölümünden yeniden kopyalamanız gerekir.
region-unknown = başka bir yerde
button-renew = { $plan } yenile
button-devices = Cihazlarım

## Aboneliklerim ve cihazlarım

subs-none = Henüz aboneliğiniz yok. Almak için **Erişim satın al**'ı kullanın.
subs-url-title = Abonelik bağlantınız
subs-url = Tüm erişiminiz için tek bağlantı: uygulamanıza abonelik olarak ekleyin, kendiliğinden yenilenir. Kimseyle paylaşmayın.
button-reset-link = Bağlantıyı sıfırla
reset-confirm = Yeni bir abonelik bağlantısı eskisini hemen durdurur: onu kullanan her uygulama ve cihaz yenisini eklemeli. Bağlantı paylaşıldıysa ya da sızdıysa bunu kullanın.
button-reset-confirm = Evet, yeni bağlantı ver
reset-link-none = Bu mağaza abonelik bağlantısı vermiyor.
reset-link-done = İşte yeni abonelik bağlantınız. Eskisi artık çalışmıyor: bunu uygulamalarınıza ekleyin.
devices-none = Henüz hiçbir cihaz abonelik bağlantınızı almadı (hangi cihaz olduğunu söylemeyen uygulamalar sayılmaz).
devices-allowed = Paketiniz { $devices } izin veriyor. Kullanımda olanlar:
device-line = { $n }. { $what }, son görülme { $when }
device-unnamed = Adsız cihaz
button-remove-device = { $n }. cihazı kaldır

## Duyurular

broadcast-title = Duyuru
broadcast-footer = Bu mağazayı kullandığınız için bunu alıyorsunuz. Aşağıdaki düğmeyle bu mesajları durdurabilirsiniz.
button-stop-broadcasts = Bu mesajları durdur
broadcast-preview = Bu, **{ $count }** kişiye ({ $segment }) özel mesajla, teker teker gider. Şöyle görünür:
button-send-broadcast = { $count } kişiye gönder
broadcast-sending = { $count } alıcıya gönderiliyor; ilerleme bu kanalda görünecek.
broadcast-opted-out = Bu mağazadan artık duyuru almayacaksınız. Siparişleriniz ve erişiminiz etkilenmez.
broadcast-progress-going = **Duyuru gönderiliyor**: { $count } kişi ({ $segment }): { $sent } gönderildi, { $failed } başarısız, { $skipped } atlandı (ayrıldı), { $left } kaldı.
broadcast-progress-done = **Duyuru gönderildi**: { $count } kişi ({ $segment }): { $sent } gönderildi, { $failed } başarısız, { $skipped } atlandı (ayrıldı), { $left } kaldı.
segment-all = tüm alıcılar
segment-active = erişimi etkin olan alıcılar
segment-expiring = erişimi { $days } gün içinde bitecek alıcılar
segment-expired = erişimi sona ermiş alıcılar
segment-plan = { $plan } paketinde erişimi etkin olan alıcılar

## Hatalar

error-internal = Bizim tarafta bir şeyler ters gitti; ayrıntılar kayıtta.
error-store = Bizim tarafta bir şeyler ters gitti. Lütfen biraz sonra tekrar deneyin.
error-policy-not-installed = Politika kurulmadı: { $why }.
error-gateway = Sunucunun ağ geçidi beklendiği gibi yanıt vermedi ({ $why }).
gateway-timed-out = zaman aşımı
gateway-unreachable = ulaşılamıyor
error-discord = Discord bunu kabul etmedi; lütfen biraz sonra tekrar deneyin.
error-not-admin = Bunu yalnızca yöneticiler yapabilir.
error-not-set-up = Mağaza henüz kurulmadı: bir yöneticinin /setup çalıştırması gerekiyor.
error-too-slow = Bu çok uzun sürdü; lütfen tekrar deneyin.
error-already-approved = Bu sipariş zaten { $admin } tarafından onaylandı.
error-already-declined = Bu sipariş zaten { $admin } tarafından reddedildi.
error-not-found = Burada `{ $id }` adında bir şey yok.
error-exists = `{ $id }` zaten var.
error-invalid = Bu doğru değil: { $why }.
error-money = Bu tutar olmuyor: { $why }.
error-no-method = Bu paket için şu an kullanılabilir bir ödeme yöntemi yok. Lütfen bir yöneticiyle iletişime geçin.
error-policy = Mağaza bunu şu an fiyatlandıramıyor; bir yöneticiye haber verildi. Ücret alınmadı.
rejection-not-allowed-now = Bu sipariş { $state }; bu şimdi yapılamaz.
rejection-not-your-order = Bu sizin siparişiniz değil.
rejection-system-only = Bunu yalnızca mağazanın kendisi yapabilir.
rejection-method-not-offered = Bu ödeme yöntemi bu sipariş için sunulmuyor.
rejection-bad-reason = Bir gerekçe gerekli (1 ile { $max } karakter arası).
rejection-not-due = Bu siparişin süresi henüz dolmadı.
rejection-no-server = Şu an hiçbir sunucu bu siparişi alamıyor; bir yöneticiye haber verildi.
rejection-payment-used = Bu ödeme zaten { $code } siparişi için kullanıldı.
rejection-not-a-trial = Bu paket bir deneme değil.
trial-already-used = Ücretsiz denemenizi zaten kullandınız ({ $code } siparişi).
trial-role-required = Bu deneme yalnızca { $role } rolüne sahip üyeler içindir.
trial-too-young = Discord hesabınız { $age } günlük; deneme için en az { $min } günlük bir hesap gerekir.
trial-not-free = Fiyatlandırma politikası bu denemeye { $total } fiyat verdi, oysa deneme ücretsizdir: bir yöneticinin politikayı düzeltmesi gerekiyor.
trial-not-renewable = Deneme yenilenemez; erişiminizi korumak için bir paket seçin.

## Eğik çizgi komutları (adlar küçük harf, boşluksuz)

cmd-setup = kurulum
cmd-setup-desc = Mağazanın kanallarını ve yönetici rolünü ayarla, paneli gönder
cmd-plan = paket
cmd-plan-desc = Paketleri yönet
cmd-plan-add = ekle
cmd-plan-add-desc = Paket ekle
cmd-plan-edit = düzenle
cmd-plan-edit-desc = Paketi değiştir
cmd-plan-disable = kapat
cmd-plan-disable-desc = Paketi satıştan kaldır
cmd-plan-list = liste
cmd-plan-list-desc = Tüm paketler
cmd-method = yöntem
cmd-method-desc = Ödeme yöntemlerini yönet
cmd-method-add = ekle
cmd-method-add-desc = Ödeme yöntemi ekle
cmd-method-edit = düzenle
cmd-method-edit-desc = Ödeme yöntemini değiştir
cmd-method-disable = kapat
cmd-method-disable-desc = Bir yöntemi sunmayı bırak
cmd-method-list = liste
cmd-method-list-desc = Tüm ödeme yöntemleri
cmd-server = sunucu
cmd-server-desc = VPN sunucularını yönet
cmd-server-add = ekle
cmd-server-add-desc = Sunucu ekle
cmd-server-edit = düzenle
cmd-server-edit-desc = Sunucuyu değiştir
cmd-server-drain = boşalt
cmd-server-drain-desc = Müşterilerini tut, yenilerini alma
cmd-server-remove = kaldır
cmd-server-remove-desc = Müşterisi olmayan sunucuyu kaldır
cmd-server-list = liste
cmd-server-list-desc = Tüm sunucular ve yükleri
cmd-server-status = durum
cmd-server-status-desc = Sunucunun ağ geçidine durumunu sor
cmd-order = sipariş
cmd-order-desc = Siparişlerle ilgilen
cmd-order-view = görüntüle
cmd-order-view-desc = Bir sipariş ve geçmişi
cmd-order-retry = yeniden-dene
cmd-order-retry-desc = Başarısız bir siparişi yeniden hazırla
cmd-order-cancel = iptal
cmd-order-cancel-desc = Ödenmemiş bir siparişi iptal et
cmd-stats = istatistik
cmd-stats-desc = Gelir, siparişler, onay oranı, inceleme süresi, yük ve 30 günlük grafik
cmd-export = dışa-aktar
cmd-export-desc = Bir tarih aralığı için siparişler veya abonelikler, CSV ya da JSON
cmd-audit = denetim
cmd-audit-desc = Kim ne yaptı, en yeni önce
cmd-policy = politika
cmd-policy-desc = Fiyatlandırma, ödeme yöntemi ve sunucu seçimi politikaları
cmd-policy-list = liste
cmd-policy-list-desc = Kayıtlı sürümler ve hangilerinin etkin olduğu
cmd-policy-activate = etkinleştir
cmd-policy-activate-desc = Kayıtlı bir sürümü etkin yap
cmd-policy-rollback = geri-al
cmd-policy-rollback-desc = Önceki bir sürüme dön
cmd-policy-config = ayar
cmd-policy-config-desc = Etkin politikanın ayarlarını belirle
cmd-broadcast = duyuru
cmd-broadcast-desc = Alıcılara özel mesajla duyuru (önce önizleme)

## Yönetici komutlarının yanıtları

admin-unknown-command = Bu komutu bilmiyorum.
admin-required = `{ $name }` gerekli.
admin-not-negative = `{ $name }` 0 veya daha büyük olmalı.
admin-bad-money = { $why }. Tutarları `250 EGP` gibi yazın.
admin-bad-kind = `{ $kind }` bir ödeme türü değil.
admin-none-yet = henüz yok
admin-plans-title = Paketler
admin-plan-added = `{ $id }` paketi eklendi: { $name }, { $price }.
admin-plan-updated = `{ $id }` paketi güncellendi.
admin-plan-off-sale = `{ $id }` paketi satıştan kaldırıldı.
admin-plan-line = `{ $id }` { $name } — { $duration }, { $traffic }, { $price }
admin-plan-trial = (deneme)
admin-plan-trial-role = (deneme, yalnızca { $role })
admin-plan-off = (satışta değil)
admin-methods-title = Ödeme yöntemleri
admin-method-added = `{ $id }` ödeme yöntemi eklendi ({ $label }).
admin-method-updated = `{ $id }` ödeme yöntemi güncellendi.
admin-method-off = `{ $id }` ödeme yöntemi artık sunulmuyor.
admin-method-disabled = (kapalı)
admin-unknown-provider = "{ $provider }" sağlayıcısını bilmiyorum.
admin-provider-not-set-up = { $provider } bu mağazanın yapılandırmasında kurulu değil ({ $section }); bkz. docs/payments.md.
admin-servers-title = Sunucular
admin-server-added = `{ $id }` sunucusu { $region } bölgesine eklendi.
admin-server-updated = `{ $id }` sunucusu güncellendi.
admin-server-draining = `{ $id }` sunucusu boşaltılıyor: müşterilerini tutar, yenilerini almaz.
admin-server-removed = `{ $id }` sunucusu kaldırıldı.
admin-server-line = `{ $id }` { $name } ({ $region }) — { $status }, kapasite { $capacity }, { $url }
admin-server-up = çalışıyor
admin-server-down = çalışmıyor
admin-server-draining-word = boşaltılıyor
admin-panel-reachable = `{ $id }`: ağ geçidi çalışıyor, panele ulaşılıyor
admin-panel-unreachable = `{ $id }`: ağ geçidi çalışıyor, panele ulaşılamıyor
admin-traffic-reset = **{ $code }** siparişinin trafiği { $servers } üzerinde sıfırdan başlıyor; istemcileri yeniden etkin.
admin-order-declined-by = { $admin } reddetti: { $reason }
admin-order-failed-after = { $attempts } denemeden sonra başarısız: { $error }
admin-field-state = Durum
admin-field-kind = Tür
admin-kind-new = yeni
admin-kind-renewal = yenileme
admin-field-total = Toplam
admin-field-pricing = Fiyatlandırma
admin-field-history = Geçmiş
admin-policies-title = Politikalar
admin-attach-wasm = .wasm dosyasını ekleyin.
admin-not-key-value = `{ $pair }`, `anahtar = değer` biçiminde değil.
admin-stats-title = Mağaza istatistikleri
admin-stats-today = Bugün
admin-stats-all-time = Tüm zamanlar
admin-stats-approval = Onay oranı
admin-stats-review-time = Ortanca inceleme süresi
admin-stats-by-state = Duruma göre siparişler
admin-stats-per-server = Sunucu başına etkin abonelikler
admin-stats-top-plans = En çok satan paketler
admin-stats-by-policy = Fiyatlandırma politikasına göre gelir
admin-stats-by-provider = Sağlayıcıya göre gelir
admin-stats-plan-line = { $plan } — { $orders } sipariş, { $revenue }
admin-stats-footer = { $when } (UTC) itibarıyla. Gelire tamamlanan siparişler dahildir.
admin-not-a-date = `{ $text }`, 2026-11-24 gibi bir tarih değil.
admin-out-of-range = `{ $text }` aralık dışında.
admin-from-after-to = `from`, `to` tarihinden sonra olamaz.
admin-export-failed = Dışa aktarma başarısız oldu: { $why }.
admin-exported = { $from } ile { $to } (UTC) arası { $rows } { $what }.
admin-audit-title = Denetim kaydı
admin-audit-older = Daha eski kayıtlar: `{ $command }` (aynı filtrelerle).
admin-expiring-needs-days = `expiring` için `days` gerekli.
admin-plan-needs-id = `plan` için paketin kimliği gerekli.
admin-not-a-segment = `{ $segment }` bir kesim değil: all, active, expiring, expired veya plan.
admin-setup-done = Mağaza kuruldu ve panel gönderildi.
admin-setup-no-panel = Kaydedildi, ancak panel gönderilemedi: { $why }
admin-setup-unchecked = Yönetici rolünün yönetici komutlarını kullanıp kullanamadığını denetleyemedim; `nebula doctor` bunu da denetler.
admin-role-cannot-use = { $role } rolündeki üyeler henüz { $commands } kullanamıyor: Discord bu komutları Sunucuyu Yönet iznine sahip üyelere gösterir. Sunucu Ayarları → Entegrasyonlar → bu bot bölümünde { $role } rolünü komutlara (ya da hepsine) ekleyin veya role Sunucuyu Yönet izni verin.
admin-no-plan = `{ $id }` adında bir paket yok.
admin-no-server = `{ $id }` adında bir sunucu yok.
cmd-order-reset-traffic = trafiği-sıfırla
cmd-order-reset-traffic-desc = Bir siparişin kullanımını sıfırdan başlat (tüm sunucularında)
cmd-policy-upload = yükle
cmd-policy-upload-desc = Politika kur (.wasm): denetimler, test vektörleri, deneme, sonra etkin
cmd-policy-dry-run = deneme
cmd-policy-dry-run-desc = Bir politikanın son gerçek siparişlerde ne karar vereceği, kurmadan

## Abonelik sayfası (abonelik bağlantısında tarayıcı)

page-used = { $total } kotanın { $used } kadarı kullanıldı.
page-subscriptions = Abonelikler
page-subscription = { $plan }: { $status }, { $until } tarihine kadar ({ $days } gün kaldı)
page-status-used-up = trafik bitti
page-links = Bağlantılar
page-qr = QR kodu
page-apps = Uygulamalar
page-apps-intro = Bu sayfanın adresini bunlardan birine abonelik olarak ekleyin:
page-platform-ios = iPhone ve iPad
page-support = Destek

## İnceleme kanalındaki uyarılar (panel veya sağlayıcı hataları olduğu gibi)

alert-provisioning-failed = { $code } siparişinin hazırlanması { $attempts }. denemeden sonra başarısız oldu: { $error }
alert-payment-not-awaited = { $code } siparişi için bir { $provider } ödemesi ({ $reference }, { $paid }) geldi; sipariş { $state } ve artık ödeme beklemiyor. Lütfen iade edin ya da elle tamamlayın.
alert-checkout-failed = { $code } siparişi için { $provider } ödemesi { $attempts } denemeden sonra açılamadı: { $error }. Alıcı yine başka yolla ödeyebilir veya ekran görüntüsü gönderebilir.
alert-move-failed = { $subscription } aboneliği ({ $client }) { $attempts } denemeden sonra { $server } sunucusuna taşınamadı: { $error }. Olduğu yerde kalıyor; sağlık işi taşımayı yeniden planlayacak.
alert-panel-disable = { $client } devre dışı bırakma
alert-panel-delete = { $client } silme
alert-panel-reset = { $client } trafiğini sıfırlama
alert-panel-failed = { $server } sunucusunda { $what } işlemi { $attempts } denemeden sonra yapılamadı: { $error }. Lütfen paneli kontrol edin.
alert-discord-failed = "{ $effect }" { $attempts } denemeden sonra yapılamadı: { $error }
alert-drift = Mutabakat { $server } sunucusunda { $count } fark buldu (hiçbir şey değiştirilmedi):
alert-drift-more = …ve { $more } tane daha (denetim kaydına bakın)
alert-server-up = { $server } sunucusu yeniden çalışıyor ({ $minutes } dk kapalıydı).
alert-server-down = { $server } sunucusu { $since } itibarıyla çalışmıyor: { $error }. Yeniden yanıt verene kadar yeni siparişlere sunulmuyor.
alert-moves-stuck = { $server } sunucusundaki { $count } abonelik taşınmalı ama taşınamıyor: { $reason }. Bir sunucu ekleyin ya da yer açın.
alert-policy-failed = { $policy } politikası ({ $hash }) başarısız oldu: { $error }. Yeniden çalışana kadar alışveriş yapılamaz: `/policy rollback` ile geri alın ya da `/policy config` ile ayarlarını düzeltin.

## Komut seçenekleri (açıklamalar; adlar İngilizce kalır)

cmd-setup-shop_channel-desc = Mağaza panelinin bulunduğu yer
cmd-setup-review_channel-desc = Yöneticilerin ödemeleri incelediği yer
cmd-setup-order_category-desc = Özel sipariş kanallarının kategorisi
cmd-setup-admin_role-desc = Kim onaylayabilir, reddedebilir ve yönetebilir
cmd-plan-add-id-desc = Örneğin `month-50gb`
cmd-plan-add-name-desc = Alıcılara gösterilir
cmd-plan-add-days-desc = Gün olarak süre
cmd-plan-add-traffic_gb-desc = GB cinsinden trafik kotası (0 = sınırsız)
cmd-plan-add-devices-desc = Aynı anda cihaz sayısı (0 = sınırsız)
cmd-plan-add-price-desc = Örneğin `250 EGP` veya `9.99 USD`
cmd-plan-add-sort-desc = Paneldeki sıra (küçük olan önce)
cmd-plan-add-servers-desc = Kaç sunucuda erişim verir (ortak kota; varsayılan 1)
cmd-plan-add-regions-desc = Yalnızca bu bölgeler, virgülle, önce her birinde bir sunucu (`-` = herhangi)
cmd-plan-add-trial-desc = Ücretsiz deneme: fiyat 0, en çok 14 gün, hesap başına bir kez, ödemesiz
cmd-plan-add-trial_role-desc = Denemeyi yalnızca bu roldeki üyeler alabilir
cmd-plan-edit-id-desc = Paket
cmd-plan-edit-name-desc = Alıcılara gösterilir
cmd-plan-edit-days-desc = Gün olarak süre
cmd-plan-edit-traffic_gb-desc = GB cinsinden trafik kotası (0 = sınırsız)
cmd-plan-edit-devices-desc = Aynı anda cihaz sayısı (0 = sınırsız)
cmd-plan-edit-price-desc = Örneğin `250 EGP` veya `9.99 USD`
cmd-plan-edit-sort-desc = Paneldeki sıra (küçük olan önce)
cmd-plan-edit-servers-desc = Kaç sunucuda erişim verir (ortak kota; varsayılan 1)
cmd-plan-edit-regions-desc = Yalnızca bu bölgeler, virgülle, önce her birinde bir sunucu (`-` = herhangi)
cmd-plan-edit-trial-desc = Ücretsiz deneme: fiyat 0, en çok 14 gün, hesap başına bir kez, ödemesiz
cmd-plan-edit-trial_role-desc = Denemeyi yalnızca bu roldeki üyeler alabilir
cmd-plan-edit-active-desc = Satışta
cmd-plan-disable-id-desc = Paket
cmd-method-add-id-desc = Örneğin `vodafone-cash`
cmd-method-add-label-desc = Düğmede gösterilir
cmd-method-add-kind-desc = Alıcılar nasıl öder
cmd-method-add-instructions-desc = Ne yapılacağı; {"{"}amount{"}"} ve {"{"}order{"}"} kullanılabilir
cmd-method-add-min-desc = En küçük tutar, örneğin `50 EGP`
cmd-method-add-max-desc = En büyük tutar
cmd-method-add-provider-desc = Otomatik ödeme aracı (manual: ekran görüntüsü)
cmd-method-edit-id-desc = Yöntem
cmd-method-edit-label-desc = Düğmede gösterilir
cmd-method-edit-kind-desc = Alıcılar nasıl öder
cmd-method-edit-instructions-desc = {"{"}amount{"}"} ve {"{"}order{"}"} kullanılabilir
cmd-method-edit-min-desc = En küçük tutar (`none` kaldırır)
cmd-method-edit-max-desc = En büyük tutar (`none` kaldırır)
cmd-method-edit-enabled-desc = Sunuluyor
cmd-method-edit-provider-desc = Otomatik ödeme aracı (manual: ekran görüntüsü)
cmd-method-disable-id-desc = Yöntem
cmd-server-add-id-desc = Örneğin `fra-1`
cmd-server-add-name-desc = Yöneticilerin tanıyacağı bir ad
cmd-server-add-region-desc = Örneğin `eu`, `us-east`
cmd-server-add-gateway_url-desc = Ağ geçidinin temel URL'si
cmd-server-add-key_id-desc = Mağazanın onun için kullandığı imza anahtarı
cmd-server-add-inbound_id-desc = Yeni istemcilerin gittiği 3x-ui inbound
cmd-server-add-public_host-desc = Alıcıların bağlandığı ana makine
cmd-server-add-capacity-desc = Kaç etkin abonelik alır
cmd-server-add-tags-desc = Virgülle ayrılmış
cmd-server-edit-id-desc = Sunucu
cmd-server-edit-name-desc = Yöneticilerin tanıyacağı bir ad
cmd-server-edit-region-desc = Örneğin `eu`, `us-east`
cmd-server-edit-gateway_url-desc = Ağ geçidinin temel URL'si
cmd-server-edit-key_id-desc = Mağazanın onun için kullandığı imza anahtarı
cmd-server-edit-inbound_id-desc = Yeni istemcilerin gittiği 3x-ui inbound
cmd-server-edit-public_host-desc = Alıcıların bağlandığı ana makine
cmd-server-edit-capacity-desc = Kaç etkin abonelik alır
cmd-server-edit-tags-desc = Virgülle ayrılmış
cmd-server-drain-id-desc = Sunucu
cmd-server-remove-id-desc = Sunucu
cmd-server-status-id-desc = Sunucu
cmd-order-view-code-desc = Örneğin NL-7K3F9Q2A
cmd-order-retry-code-desc = Örneğin NL-7K3F9Q2A
cmd-order-cancel-code-desc = Örneğin NL-7K3F9Q2A
cmd-order-reset-traffic-code-desc = Örneğin NL-7K3F9Q2A
cmd-export-what-desc = orders (siparişler) veya subscriptions (abonelikler)
cmd-export-format-desc = csv (varsayılan) veya json
cmd-export-from-desc = İlk gün, YYYY-AA-GG (varsayılan: 30 gün önce)
cmd-export-to-desc = Son gün, YYYY-AA-GG (varsayılan: bugün)
cmd-audit-actor-desc = Yalnızca bu üyenin yaptıkları
cmd-audit-order-desc = Yalnızca bu sipariş (örneğin NL-7K3F9Q2A)
cmd-audit-action-desc = Yalnızca bununla başlayan eylemler (örneğin order.)
cmd-audit-before-desc = Bu kayıt numarasından eski (sonraki sayfa)
cmd-policy-upload-kind-desc = pricing, payment-methods veya server-selection
cmd-policy-upload-file-desc = ‎.wasm bileşeni
cmd-policy-upload-name-desc = Bir ad (varsayılan: dosya adı)
cmd-policy-dry-run-kind-desc = pricing, payment-methods veya server-selection
cmd-policy-dry-run-file-desc = ‎.wasm bileşeni
cmd-policy-activate-kind-desc = pricing, payment-methods veya server-selection
cmd-policy-activate-version-desc = sha256 değeri
cmd-policy-rollback-kind-desc = pricing, payment-methods veya server-selection
cmd-policy-rollback-version-desc = sha256 değeri
cmd-policy-config-kind-desc = pricing, payment-methods veya server-selection
cmd-policy-config-settings-desc = `;` ile ayrılmış `anahtar = değer` çiftleri (boş: temizle)
cmd-broadcast-segment-desc = Kimler alacak
cmd-broadcast-segment-all = tüm alıcılar
cmd-broadcast-segment-active = etkin erişim
cmd-broadcast-segment-expiring = erişimi `days` içinde bitenler
cmd-broadcast-segment-expired = erişimi bitenler
cmd-broadcast-segment-plan = `plan` üzerinde etkin
cmd-broadcast-message-desc = Ne okuyacaklar
cmd-broadcast-days-desc = `expiring` için: kaç gün içinde
cmd-broadcast-plan-desc = `plan` için: paketin kimliği

## Politikalar (/policy)

policy-line = { $kind } `{ $hash }` { $name } ({ $bytes } bayt, { $installed })
policy-live = etkin
policy-installed = **{ $name }** artık etkin { $kind } politikası (`{ $hash }`). { $vectors } test vektörü geçti; son { $checked } gerçek siparişte { $changed } tanesinde farklı karar veriyor.
policy-dry-run = Kurulmadı. { $vectors } test vektörü geçti; son { $checked } gerçek siparişte { $changed } tanesinde farklı karar verirdi.
policy-activated = **{ $name }** (`{ $hash }`) artık etkin { $kind } politikası.
policy-configured = { $kind } politikası **{ $name }** artık { $count } ayarla çalışıyor.
policy-no-match = `{ $prefix }` ile başlayan kayıtlı bir { $kind } politikası yok.
policy-ambiguous = `{ $prefix }` birden çok sürümle eşleşiyor; sha256 değerinden daha fazlasını verin.
