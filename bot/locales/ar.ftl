# NebulaLinks: العربية. المفاتيح والمتغيرات نفسها في en.ftl (يتحقق منها bot/tests/locales.rs).
# النص من اليمين إلى اليسار؛ تُعزل القيم المُدرجة (رموز الطلبات والأسماء) لتبقى مقروءة.

## الوحدات والكلمات القصيرة

duration-days = { $days ->
    [one] يوم واحد
    [two] يومان
    [few] { $days } أيام
    [many] { $days } يومًا
   *[other] { $days } يوم
}
devices-any = أي عدد من الأجهزة
devices-count = { $count ->
    [one] جهاز واحد
    [two] جهازان
    [few] { $count } أجهزة
    [many] { $count } جهازًا
   *[other] { $count } جهاز
}
traffic-unlimited = غير محدود
traffic-gb = { $amount } غيغابايت
traffic-mb = { $amount } ميغابايت
used-of = { $used } من { $limit }
used-unlimited = { $used } (غير محدود)
region-in = في منطقة { $region }

state-awaiting_method = بانتظار اختيار طريقة الدفع
state-awaiting_proof = بانتظار إثبات الدفع
state-under_review = قيد المراجعة
state-provisioning = قيد التجهيز
state-fulfilled = مكتمل
state-declined = مرفوض
state-cancelled = ملغى
state-timed_out = منتهي المهلة
state-failed = فاشل

status-active = نشط
status-suspended = موقوف
status-expired = منتهٍ
status-deleted = محذوف

## واجهة المتجر واختيار الباقة

panel-title = الوصول إلى VPN
panel-empty = لا توجد باقات معروضة للبيع الآن. عُد لاحقًا.
panel-intro = اختر باقة عبر **شراء الوصول**. ادفع بإحدى طرقنا، وارفع لقطة شاشة، واحصل على رابطك فور موافقة أحد المشرفين.
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = شراء الوصول
button-subscriptions = اشتراكاتي
button-help = مساعدة
button-language = اللغة
picker-free-trial = تجربة مجانية
picker-option-detail = { $duration }، { $traffic }
picker-placeholder = اختر باقة
picker-with-coupon = الأسعار مع القسيمة **{ $coupon }**:
picker-question = أي باقة تريد؟
button-coupon = لديّ قسيمة
nothing-on-sale = لا شيء معروض للبيع الآن. عُد لاحقًا.
help-text = **كيف يعمل المتجر**
    1. اضغط **شراء الوصول** واختر باقة (وقسيمة إن كانت لديك).
    2. تُفتح لك قناة خاصة: اختر طريقة الدفع واتبع التعليمات.
    3. ارفع لقطة شاشة لعملية الدفع هناك.
    4. يراجعها أحد المشرفين؛ فيصلك الرابط ورمز QR في القناة وفي رسالة خاصة.

    في **اشتراكاتي** تجد روابطك واستهلاكك وتاريخ الانتهاء، ويمكنك التجديد: يبقى الرابط نفسه بعد التجديد.

## اللغات

language-question = بأي لغة تريد أن يخاطبك المتجر؟
language-placeholder = اختر لغة
language-chosen = من الآن فصاعدًا سيخاطبك المتجر بالعربية.

## النماذج

coupon-modal-title = استخدام قسيمة
coupon-modal-field = رمز القسيمة
coupon-empty = يُرجى إدخال رمز القسيمة.
transfer-modal-title = تحويل USDT (TRC-20) الخاص بك
transfer-modal-field = معرّف المعاملة (الهاش)
decline-modal-title = رفض الدفعة
decline-modal-field = السبب (يراه المشتري)
form-expired = انتهت صلاحية هذا النموذج.
button-expired = لم يعد هذا الزر صالحًا.

## فتح الطلب

order-opening = جارٍ فتح طلبك…
order-open-soon = طلبك **{ $code }** مفتوح؛ ستظهر قناتك الخاصة بعد لحظات.
order-open-in = طلبك **{ $code }** مفتوح في { $channel }.
order-open-then-pay = اختر طريقة الدفع هناك.
order-open-then-trial = سيظهر وصولك هناك بعد لحظات.
pick-plan-from-list = يُرجى اختيار باقة من القائمة.
pick-plan = يُرجى اختيار باقة.
plan-gone = لم تعد هذه الباقة معروضة للبيع.
order-channel-topic = الطلب { $code } لباقة { $plan }

## قناة الطلب

field-plan = الباقة
field-price = السعر
field-shopper = المشتري
field-method = الطريقة
field-flags = ملاحظات
field-screenshot = لقطة الشاشة
field-region = المنطقة
field-expires = ينتهي في
field-traffic = البيانات
field-devices = الأجهزة
field-status = الحالة
field-used = المستهلك
plan-summary = { $plan } ({ $duration }، { $traffic }، { $devices })
price-total = **الإجمالي: { $total }**
order-footer = الطلب { $code }
order-title-new = طلبك
order-title-renewal = تجديدك
order-choose-method = اختر طريقة الدفع. يمكنك تغيير رأيك حتى ترفع لقطة الشاشة.
button-cancel = إلغاء
trial-title = تجربتك المجانية
trial-description = لا شيء للدفع: يجري تجهيز وصولك وسيظهر هنا بعد لحظات.
method-chosen = تعليمات **{ $method }** موجودة في القناة.
instructions-title = الدفع عبر { $method }
instructions-then-screenshot = ثم **ارفع لقطة شاشة لدفعتك في هذه القناة** (PNG أو JPEG أو WebP أو GIF).
instructions-then-tron = ثم اضغط **لقد دفعت** والصق معرّف المعاملة: يتحقق المتجر منها على الشبكة ويجهّز وصولك فورًا. (يمكنك أيضًا رفع لقطة شاشة للمشرف.)
instructions-then-link = سيصلك رابط الدفع بعد لحظات؛ بعد الدفع هناك يُجهَّز وصولك تلقائيًا.
button-paid = لقد دفعت
checkout-title = ادفع { $amount } عبر { $method }
checkout-description = افتح صفحة الدفع أدناه. فور تأكيد الدفعة يُجهَّز وصولك هنا تلقائيًا: لا حاجة إلى لقطة شاشة.
checkout-button = ادفع { $amount }
order-cancelled = أُلغي الطلب **{ $code }**.

## لقطات الشاشة

proof-not-yours = وحده { $owner } يستطيع إرسال لقطة شاشة الدفع لهذا الطلب.
proof-not-image = يُرجى رفع لقطة الشاشة كصورة (PNG أو JPEG أو WebP أو GIF).
proof-too-large = هذه الصورة كبيرة جدًا؛ الحد الأقصى { $mb } ميغابايت.
proof-not-now = هذا الطلب { $state }؛ وهو لا ينتظر لقطة شاشة.

## تحويلات USDT

usdt-not-set-up = الدفع بعملة USDT غير مُعدّ في هذا المتجر.
transfer-refused = { $why } يمكنك أيضًا رفع لقطة شاشة لدفعتك هنا ليراجعها مشرف.
transfer-paid = استُلمت الدفعة. يجري تجهيز وصولك الآن.
transfer-review = وصل تحويلك، لكن { $why }. سيطّلع عليه مشرف قريبًا.
transfer-already = احتُسب هذا التحويل لهذا الطلب من قبل.
transfer-not-awaiting = لم يعد هذا الطلب ينتظر دفعة؛ أُبلغ مشرف بتحويلك.
transfer-not-a-txid = هذا ليس معرّف معاملة على TRON (64 محرفًا ست عشريًا).
transfer-not-found = لم يُعثر على معاملة بهذا المعرّف على شبكة TRON.
transfer-failed = فشلت هذه المعاملة على الشبكة؛ لم تُنقل أي أموال.
transfer-not-confirmed = لم تتأكد هذه المعاملة بعد ({ $have } من { $need } تأكيدات)؛ حاول بعد دقيقة.
transfer-not-solidified = لم تصبح هذه المعاملة نهائية بعد؛ حاول بعد دقيقة.
transfer-not-a-transfer = هذه المعاملة ليست تحويل رموز.
transfer-wrong-token = هذا التحويل ليس { $symbol } (نُقل رمز آخر).
transfer-wrong-recipient = ذهب هذا التحويل إلى عنوان آخر غير عنوان المتجر.
transfer-before-order = أُجري هذا التحويل قبل فتح هذا الطلب.
transfer-wrong-currency = سعر { $symbol } في هذا المتجر محدد بـ { $rate }؛ والطلب بـ { $order }.
transfer-network-down = تعذّر الاستعلام من شبكة TRON الآن؛ يُرجى المحاولة بعد دقيقة.

## فروق الدفع

difference-wrong-currency = دُفع بـ { $got }، والطلب بـ { $expected }
difference-underpaid = دُفع { $got }، أقل من { $expected } المستحقة
difference-overpaid = دُفع { $got }، أكثر من { $expected } المستحقة
difference-paid-late = دُفع بعد انتهاء صلاحية الفاتورة

## المراجعة (المشرفون)

review-title = دفعة للمراجعة
flag-first-order = 🆕 أول طلب
flag-duplicate-proof = ⚠️ استُخدمت لقطة الشاشة نفسها للطلب { $code }
flag-payment = 💳 { $provider } { $reference }: دُفع { $paid }
screenshot-gone = لم تعد محفوظة
button-approve = موافقة
button-decline = رفض
review-approved-by = ✅ وافق عليه { $admin }
review-declined-by = ❌ رفضه { $admin }
review-paid = ✅ دُفع تلقائيًا عبر { $provider }؛ لا حاجة إلى مراجعة.
order-approved = تمت الموافقة على الطلب **{ $code }**؛ يجري تجهيز الوصول.
order-declined = رُفض الطلب **{ $code }**؛ وأُبلغ المشتري بالسبب.
order-retrying = إعادة محاولة الطلب **{ $code }**.
alert-title = ⚠️ يحتاج إلى انتباه
button-retry = إعادة المحاولة

## الوصول

access-title-ready = وصولك جاهز
access-title-renewed = تم تجديد وصولك
access-import = استورد هذا الرابط في تطبيق VLESS لديك (v2rayNG وHiddify وStreisand وغيرها)، أو امسح رمز QR. احتفظ به لنفسك.
access-multi = تعمل باقتك على { $count } خوادم بحصة مشتركة واحدة. رابط الاشتراك أدناه يضمها جميعًا؛ أو استورد رابطًا لكل خادم. احتفظ بها لنفسك.
links-alternatives = إن لم يتصل، جرّب عنوانًا آخر للخادم نفسه:
links-more-in-subscription = (و{ $count } أخرى في رابط اشتراكك)
links-more-ask = (و{ $count } أخرى: اسأل مشرفًا)
field-personal-url = رابط اشتراكك
personal-url-explained = أضفه إلى تطبيقك كاشتراك: يحمل كل وصولك، ويتحدّث تلقائيًا، ويبقى كما هو عند التجديد.
field-subscription-url = رابط الاشتراك

## إشعارات قناة الطلب

notice-under-review-title = قيد المراجعة
notice-under-review = شكرًا! دفعتك قيد المراجعة. سيصلك رابطك هنا فور الموافقة عليها.
notice-declined-title = رُفضت الدفعة
notice-declined = رُفضت دفعتك: { $reason }
    إن كنت تظن أن هذا خطأ، فتواصل مع مشرف.
notice-cancelled-title = أُلغي الطلب
notice-cancelled-by-admin = ألغى أحد المشرفين هذا الطلب.
notice-cancelled-by-you = ألغيت هذا الطلب. لم يُخصم أي مبلغ.
notice-timed-out-title = انتهت مهلة الطلب
notice-timed-out = لم يُدفع هذا الطلب في الوقت المحدد فأُغلق. يمكنك بدء طلب جديد من المتجر.
notice-delayed-title = أوشكنا
notice-delayed = تمت الموافقة على دفعتك، لكن تجهيز وصولك واجه مشكلة. أُبلغ أحد المشرفين وسيعالجها.
notice-paid-title = استُلمت الدفعة
notice-paid = تأكدت دفعتك عبر { $provider }. يجري تجهيز وصولك الآن.
notice-paid-review-title = الدفعة قيد المراجعة
notice-paid-review = وصلت دفعتك عبر { $provider }، لكن { $why }. سيطّلع عليها مشرف ويرد عليك هنا.

## إشعارات الرسائل الخاصة

sub-ending-title = وصولك ينتهي قريبًا
sub-ending = ينتهي وصولك إلى **{ $plan }** في { $when }. جدّد الآن لتحتفظ بالرابط نفسه.
sub-expired-title = انتهى وصولك
sub-expired = انتهى وصولك إلى **{ $plan }** في { $when }. جدّد لتعيد تشغيله بالرابط نفسه.
sub-traffic-out-title = نفدت البيانات
sub-traffic-out = استهلك وصولك إلى **{ $plan }** كامل { $limit } وأصبح موقوفًا. جدّد لتحصل على حصة جديدة بالرابط نفسه.
sub-traffic-low-title = البيانات توشك على النفاد
sub-traffic-low = استهلك وصولك إلى **{ $plan }** { $percent }٪ من بياناته ({ $used } من { $limit }).
sub-device-limit-title = بلغت حد الأجهزة
sub-device-limit = حاول { $device } استخدام اشتراكك، لكن باقتك تسمح بـ { $devices } وكلها قيد الاستخدام. أزل جهازًا لم تعد تستخدمه من **أجهزتي**، ثم حدّث التطبيق.
sub-device-new = جهاز جديد
sub-moved-title = نُقل وصولك
sub-moved = أُخرج أحد خوادم **{ $plan }** ({ $from }) من الخدمة، فأصبح وصولك يعمل على خادم آخر ({ $to }). التطبيقات التي تستخدم رابط اشتراكك الشخصي تلتقط ذلك عند تحديثها التالي؛ أما الرابط المنفرد الذي نسخته يدويًا فيجب نسخه مجددًا من **اشتراكاتي**.
region-unknown = مكان آخر
button-renew = تجديد { $plan }
button-devices = أجهزتي

## اشتراكاتي وأجهزتي

subs-none = ليس لديك اشتراكات بعد. استخدم **شراء الوصول** للحصول على واحد.
subs-url-title = رابط اشتراكك
subs-url = رابط واحد لكل وصولك: أضفه إلى تطبيقك كاشتراك وسيتحدّث تلقائيًا. احتفظ به لنفسك.
button-reset-link = إعادة تعيين الرابط
reset-confirm = رابط الاشتراك الجديد يوقف القديم فورًا: يجب على كل تطبيق وجهاز يستخدمه إضافة الجديد. استخدم هذا إن شُورك الرابط أو تسرّب.
button-reset-confirm = نعم، أعطني رابطًا جديدًا
reset-link-none = لا يقدّم هذا المتجر روابط اشتراك.
reset-link-done = هذا رابط اشتراكك الجديد. لم يعد القديم يعمل: أضف هذا إلى تطبيقاتك.
devices-none = لم يجلب أي جهاز رابط اشتراكك بعد (التطبيقات التي لا تذكر نوع الجهاز لا تُحتسب).
devices-allowed = تسمح باقتك بـ { $devices }. قيد الاستخدام:
device-line = { $n }. { $what }، آخر ظهور { $when }
device-unnamed = جهاز بلا اسم
button-remove-device = إزالة { $n }

## الرسائل الجماعية

broadcast-title = إعلان
broadcast-footer = تصلك هذه الرسالة لأنك استخدمت هذا المتجر. أوقف هذه الرسائل بالزر أدناه.
button-stop-broadcasts = أوقف هذه الرسائل
broadcast-preview = ستُرسل هذه الرسالة إلى **{ $count }** ({ $segment }) برسائل خاصة، واحدة تلو الأخرى. هكذا تبدو:
button-send-broadcast = إرسال إلى { $count }
broadcast-sending = جارٍ الإرسال إلى { $count } مشترين؛ يظهر التقدم في هذه القناة.
broadcast-opted-out = لن تصلك إعلانات هذا المتجر بعد الآن. لا يتأثر طلبك ولا وصولك.
broadcast-progress-going = **الإعلان قيد الإرسال** إلى { $count } ({ $segment }): أُرسل { $sent }، فشل { $failed }، تُخطّي { $skipped } (ألغوا الاشتراك)، بقي { $left }.
broadcast-progress-done = **أُرسل الإعلان** إلى { $count } ({ $segment }): أُرسل { $sent }، فشل { $failed }، تُخطّي { $skipped } (ألغوا الاشتراك)، بقي { $left }.
segment-all = كل المشترين
segment-active = المشترون ذوو الوصول النشط
segment-expiring = المشترون الذين ينتهي وصولهم خلال { $days } يوم
segment-expired = المشترون الذين انتهى وصولهم
segment-plan = المشترون ذوو الوصول النشط على الباقة { $plan }

## الأخطاء

error-internal = حدث خطأ من جانبنا؛ التفاصيل في السجل.
error-store = حدث خطأ من جانبنا. يُرجى المحاولة بعد قليل.
error-policy-not-installed = لم تُثبَّت السياسة: { $why }.
error-gateway = لم تُجب بوابة الخادم كما هو متوقع ({ $why }).
gateway-timed-out = انتهت المهلة
gateway-unreachable = تعذّر الوصول
error-discord = لم يقبل Discord ذلك؛ يُرجى المحاولة بعد قليل.
error-not-admin = هذا متاح للمشرفين فقط.
error-not-set-up = لم يُعَدّ المتجر بعد: على أحد المشرفين تشغيل /setup.
error-too-slow = استغرق ذلك وقتًا طويلًا؛ يُرجى المحاولة مجددًا.
error-already-approved = سبق أن وافق { $admin } على هذا الطلب.
error-already-declined = سبق أن رفض { $admin } هذا الطلب.
error-not-found = لا يوجد هنا شيء باسم `{ $id }`.
error-exists = `{ $id }` موجود مسبقًا.
error-invalid = هذا غير صحيح: { $why }.
error-money = هذا المبلغ لا يصلح: { $why }.
error-no-method = لا تتوفر طريقة دفع لهذه الباقة الآن. يُرجى التواصل مع مشرف.
error-policy = لا يستطيع المتجر تسعير هذا الآن؛ أُبلغ أحد المشرفين. لم يُخصم أي مبلغ.
rejection-not-allowed-now = هذا الطلب { $state }؛ لا يمكن فعل ذلك الآن.
rejection-not-your-order = هذا ليس طلبك.
rejection-system-only = وحده المتجر نفسه يستطيع فعل ذلك.
rejection-method-not-offered = طريقة الدفع هذه غير متاحة لهذا الطلب.
rejection-bad-reason = السبب مطلوب (من 1 إلى { $max } محرفًا).
rejection-not-due = لم يحن موعد انتهاء مهلة هذا الطلب بعد.
rejection-no-server = لا يستطيع أي خادم استقبال هذا الطلب الآن؛ أُبلغ أحد المشرفين.
rejection-payment-used = استُخدمت هذه الدفعة من قبل للطلب { $code }.
rejection-not-a-trial = هذه الباقة ليست تجربة.
trial-already-used = سبق أن حصلت على تجربتك المجانية (الطلب { $code }).
trial-role-required = هذه التجربة مخصصة لأعضاء الدور { $role } فقط.
trial-too-young = عمر حسابك على Discord { $age } يوم؛ تتطلب التجربة حسابًا لا يقل عمره عن { $min } يوم.
trial-not-free = سعّرت سياسة التسعير هذه التجربة بـ { $total }، والتجربة مجانية: على أحد المشرفين إصلاح السياسة.
trial-not-renewable = لا يمكن تجديد التجربة؛ اختر باقة للاحتفاظ بوصولك.

## أوامر الشرطة المائلة (الأسماء بلا مسافات)

cmd-setup = إعداد
cmd-setup-desc = اضبط قنوات المتجر ودور المشرفين وانشر الواجهة
cmd-plan = باقة
cmd-plan-desc = إدارة الباقات
cmd-plan-add = إضافة
cmd-plan-add-desc = أضف باقة
cmd-plan-edit = تعديل
cmd-plan-edit-desc = عدّل باقة
cmd-plan-disable = إيقاف
cmd-plan-disable-desc = أوقف بيع باقة
cmd-plan-list = قائمة
cmd-plan-list-desc = كل الباقات
cmd-method = طريقة-دفع
cmd-method-desc = إدارة طرق الدفع
cmd-method-add = إضافة
cmd-method-add-desc = أضف طريقة دفع
cmd-method-edit = تعديل
cmd-method-edit-desc = عدّل طريقة دفع
cmd-method-disable = إيقاف
cmd-method-disable-desc = توقف عن عرض طريقة
cmd-method-list = قائمة
cmd-method-list-desc = كل طرق الدفع
cmd-server = خادم
cmd-server-desc = إدارة خوادم VPN
cmd-server-add = إضافة
cmd-server-add-desc = أضف خادمًا
cmd-server-edit = تعديل
cmd-server-edit-desc = عدّل خادمًا
cmd-server-drain = تفريغ
cmd-server-drain-desc = أبقِ عملاءه ولا تقبل عملاء جددًا
cmd-server-remove = إزالة
cmd-server-remove-desc = أزل خادمًا بلا عملاء
cmd-server-list = قائمة
cmd-server-list-desc = كل الخوادم وأحمالها
cmd-server-status = حالة
cmd-server-status-desc = اسأل بوابة الخادم عن حاله
cmd-order = طلب
cmd-order-desc = متابعة الطلبات
cmd-order-view = عرض
cmd-order-view-desc = طلب وسجله
cmd-order-retry = إعادة
cmd-order-retry-desc = جهّز طلبًا فاشلًا مجددًا
cmd-order-cancel = إلغاء
cmd-order-cancel-desc = ألغِ طلبًا غير مدفوع
cmd-stats = إحصاءات
cmd-stats-desc = الإيرادات والطلبات ونسبة الموافقة ووقت المراجعة والحمل ومخطط 30 يومًا
cmd-export = تصدير
cmd-export-desc = الطلبات أو الاشتراكات بصيغة CSV أو JSON لفترة محددة
cmd-audit = سجل
cmd-audit-desc = من فعل ماذا، الأحدث أولًا
cmd-policy = سياسة
cmd-policy-desc = سياسات التسعير وطرق الدفع واختيار الخوادم
cmd-policy-list = قائمة
cmd-policy-list-desc = الإصدارات المحفوظة وأيها مفعّل
cmd-policy-activate = تفعيل
cmd-policy-activate-desc = فعّل إصدارًا محفوظًا
cmd-policy-rollback = تراجع
cmd-policy-rollback-desc = ارجع إلى إصدار سابق
cmd-policy-config = إعدادات
cmd-policy-config-desc = اضبط إعدادات السياسة المفعّلة
cmd-broadcast = إعلان
cmd-broadcast-desc = راسل المشترين برسائل خاصة (مع معاينة أولًا)

## ردود أوامر المشرفين

admin-unknown-command = لا أعرف هذا الأمر.
admin-required = `{ $name }` مطلوب.
admin-not-negative = يجب أن يكون `{ $name }` صفرًا أو أكثر.
admin-bad-money = { $why }. اكتب المبالغ هكذا: `250 EGP`.
admin-bad-kind = `{ $kind }` ليس نوع دفع.
admin-none-yet = لا شيء بعد
admin-plans-title = الباقات
admin-plan-added = أُضيفت الباقة `{ $id }`: { $name } بسعر { $price }.
admin-plan-updated = حُدّثت الباقة `{ $id }`.
admin-plan-off-sale = أُوقف بيع الباقة `{ $id }`.
admin-plan-line = `{ $id }` { $name } — { $duration }، { $traffic }، { $price }
admin-plan-trial = (تجربة)
admin-plan-trial-role = (تجربة، لـ { $role } فقط)
admin-plan-off = (غير معروضة للبيع)
admin-methods-title = طرق الدفع
admin-method-added = أُضيفت طريقة الدفع `{ $id }` ({ $label }).
admin-method-updated = حُدّثت طريقة الدفع `{ $id }`.
admin-method-off = لم تعد طريقة الدفع `{ $id }` معروضة.
admin-method-disabled = (متوقفة)
admin-unknown-provider = لا أعرف مزوّد الدفع «{ $provider }».
admin-provider-not-set-up = { $provider } غير مُعدّ في إعدادات هذا المتجر ({ $section })؛ راجع docs/payments.md.
admin-servers-title = الخوادم
admin-server-added = أُضيف الخادم `{ $id }` في { $region }.
admin-server-updated = حُدّث الخادم `{ $id }`.
admin-server-draining = الخادم `{ $id }` قيد التفريغ: يحتفظ بعملائه ولا يقبل جددًا.
admin-server-removed = أُزيل الخادم `{ $id }`.
admin-server-line = `{ $id }` { $name } ({ $region }) — { $status }، السعة { $capacity }، { $url }
admin-server-up = يعمل
admin-server-down = متوقف
admin-server-draining-word = قيد التفريغ
admin-panel-reachable = `{ $id }`: البوابة تعمل، واللوحة متاحة
admin-panel-unreachable = `{ $id }`: البوابة تعمل، واللوحة غير متاحة
admin-traffic-reset = يبدأ عدّ بيانات الطلب **{ $code }** من الصفر مجددًا على { $servers }؛ وأُعيد تفعيل عملائه.
admin-order-declined-by = رفضه { $admin }: { $reason }
admin-order-failed-after = فشل بعد { $attempts } محاولات: { $error }
admin-field-state = الحالة
admin-field-kind = النوع
admin-kind-new = جديد
admin-kind-renewal = تجديد
admin-field-total = الإجمالي
admin-field-pricing = التسعير
admin-field-history = السجل
admin-policies-title = السياسات
admin-attach-wasm = أرفق ملف ‎.wasm.
admin-not-key-value = `{ $pair }` ليس بصيغة `مفتاح = قيمة`.
admin-stats-title = إحصاءات المتجر
admin-stats-today = اليوم
admin-stats-all-time = منذ البداية
admin-stats-approval = نسبة الموافقة
admin-stats-review-time = الوسيط لوقت المراجعة
admin-stats-by-state = الطلبات حسب الحالة
admin-stats-per-server = الاشتراكات النشطة لكل خادم
admin-stats-top-plans = الباقات الأكثر مبيعًا
admin-stats-by-policy = الإيرادات حسب سياسة التسعير
admin-stats-by-provider = الإيرادات حسب مزوّد الدفع
admin-stats-plan-line = { $plan } — { $orders } طلب، { $revenue }
admin-stats-footer = حتى { $when } (UTC). تُحتسب في الإيرادات الطلبات المكتملة.
admin-not-a-date = `{ $text }` ليس تاريخًا مثل 2026-11-24.
admin-out-of-range = `{ $text }` خارج النطاق.
admin-from-after-to = يجب أن يكون `from` في موعد `to` أو قبله.
admin-export-failed = فشل التصدير: { $why }.
admin-exported = { $rows } من { $what } من { $from } إلى { $to } (UTC).
admin-audit-title = سجل التدقيق
admin-audit-older = إدخالات أقدم: `{ $command }` (بالمرشحات نفسها).
admin-expiring-needs-days = يحتاج `expiring` إلى `days`.
admin-plan-needs-id = يحتاج `plan` إلى معرّف الباقة.
admin-not-a-segment = `{ $segment }` ليس شريحة: all أو active أو expiring أو expired أو plan.
admin-setup-done = أُعدّ المتجر ونُشرت الواجهة.
admin-setup-no-panel = حُفظ ذلك، لكن تعذّر نشر الواجهة: { $why }
admin-setup-unchecked = تعذّر عليّ التحقق مما إذا كان دور المشرفين يستطيع استخدام أوامر المشرفين؛ يتحقق `nebula doctor` من ذلك أيضًا.
admin-role-cannot-use = لا يستطيع أعضاء { $role } استخدام { $commands } بعد: يعرض Discord هذه الأوامر للأعضاء الذين لديهم صلاحية إدارة الخادم. من إعدادات الخادم ← عمليات الدمج ← هذا البوت، أضف { $role } إلى الأوامر (أو إليها كلها)، أو امنح الدور صلاحية إدارة الخادم.
admin-no-plan = لا توجد باقة `{ $id }`.
admin-no-server = لا يوجد خادم `{ $id }`.
cmd-order-reset-traffic = تصفير-البيانات
cmd-order-reset-traffic-desc = ابدأ استهلاك ما اشتراه الطلب من الصفر (على كل خوادمه)
cmd-policy-upload = رفع
cmd-policy-upload-desc = ثبّت سياسة (.wasm): فحوص ومتجهات اختبار وتشغيل تجريبي ثم التفعيل
cmd-policy-dry-run = تجربة
cmd-policy-dry-run-desc = ما كانت السياسة ستقرره في الطلبات الحقيقية الأخيرة، دون تثبيتها

## صفحة الاشتراك (المتصفح على رابط الاشتراك)

page-used = استُهلك { $used } من { $total }.
page-subscriptions = الاشتراكات
page-subscription = { $plan }: { $status }، حتى { $until } (بقي { $days } يوم)
page-status-used-up = نفدت البيانات
page-links = الروابط
page-qr = رمز QR
page-apps = التطبيقات
page-apps-intro = أضف عنوان هذه الصفحة كاشتراك في أحد هذه التطبيقات:
page-platform-ios = آيفون وآيباد
page-support = الدعم

## التنبيهات في قناة المراجعة (تُقتبس أخطاء اللوحة أو المزوّد كما وردت)

alert-provisioning-failed = فشل تجهيز الطلب { $code } بعد المحاولة { $attempts }: { $error }
alert-payment-not-awaited = وصلت دفعة عبر { $provider } ({ $reference }، { $paid }) للطلب { $code }، وهو { $state } ولم يعد ينتظر دفعة. يُرجى ردّ المبلغ أو تنفيذ الطلب يدويًا.
alert-checkout-failed = تعذّر فتح دفع { $provider } للطلب { $code } بعد { $attempts } محاولات: { $error }. لا يزال بإمكان المشتري الدفع بطريقة أخرى أو إرسال لقطة شاشة.
alert-move-failed = تعذّر نقل الاشتراك { $subscription } ({ $client }) إلى الخادم { $server } بعد { $attempts } محاولات: { $error }. يبقى في مكانه؛ وستخطط مهمة الفحص للنقل مجددًا.
alert-panel-disable = تعطيل { $client }
alert-panel-delete = حذف { $client }
alert-panel-reset = تصفير بيانات { $client }
alert-panel-failed = تعذّر { $what } على الخادم { $server } بعد { $attempts } محاولات: { $error }. يُرجى فحص اللوحة.
alert-discord-failed = تعذّر تنفيذ «{ $effect }» بعد { $attempts } محاولات: { $error }
alert-drift = وجدت المطابقة { $count } فرقًا على الخادم { $server } (لم يُغيَّر شيء):
alert-drift-more = …و{ $more } أخرى (راجع سجل التدقيق)
alert-server-up = عاد الخادم { $server } إلى العمل (كان متوقفًا { $minutes } دقيقة).
alert-server-down = الخادم { $server } متوقف منذ { $since }: { $error }. لن يُعرض على الطلبات الجديدة حتى يستجيب مجددًا.
alert-moves-stuck = يجب نقل { $count } اشتراكات على الخادم { $server } لكن يتعذّر ذلك: { $reason }. أضف خادمًا أو وفّر سعة.
alert-policy-failed = فشلت سياسة { $policy } ({ $hash }): { $error }. لا يمكن للمشترين الشراء حتى تعمل مجددًا: تراجع عنها بـ `/policy rollback` أو أصلح إعداداتها بـ `/policy config`.

## خيارات أوامر الشرطة المائلة (الأوصاف؛ الأسماء تبقى بالإنجليزية)

cmd-setup-shop_channel-desc = مكان واجهة المتجر
cmd-setup-review_channel-desc = مكان مراجعة المشرفين للمدفوعات
cmd-setup-order_category-desc = الفئة الخاصة بقنوات الطلبات الخاصة
cmd-setup-admin_role-desc = من يحق له الموافقة والرفض والإدارة
cmd-plan-add-id-desc = مثل `month-50gb`
cmd-plan-add-name-desc = يظهر للمشترين
cmd-plan-add-days-desc = المدة بالأيام
cmd-plan-add-traffic_gb-desc = حصة البيانات بالغيغابايت (0 = غير محدود)
cmd-plan-add-devices-desc = الأجهزة المتزامنة (0 = بلا حد)
cmd-plan-add-price-desc = مثل `250 EGP` أو `9.99 USD`
cmd-plan-add-sort-desc = الترتيب في الواجهة (الأصغر أولًا)
cmd-plan-add-servers-desc = على كم خادم يمنح الوصول (حصة مشتركة؛ الافتراضي 1)
cmd-plan-add-regions-desc = هذه المناطق فقط، مفصولة بفواصل، خادم في كل منها أولًا (`-` = أي)
cmd-plan-add-trial-desc = تجربة مجانية: السعر 0، حتى 14 يومًا، مرة لكل حساب، بلا دفع
cmd-plan-add-trial_role-desc = التجربة لأعضاء هذا الدور فقط
cmd-plan-edit-id-desc = الباقة
cmd-plan-edit-name-desc = يظهر للمشترين
cmd-plan-edit-days-desc = المدة بالأيام
cmd-plan-edit-traffic_gb-desc = حصة البيانات بالغيغابايت (0 = غير محدود)
cmd-plan-edit-devices-desc = الأجهزة المتزامنة (0 = بلا حد)
cmd-plan-edit-price-desc = مثل `250 EGP` أو `9.99 USD`
cmd-plan-edit-sort-desc = الترتيب في الواجهة (الأصغر أولًا)
cmd-plan-edit-servers-desc = على كم خادم يمنح الوصول (حصة مشتركة؛ الافتراضي 1)
cmd-plan-edit-regions-desc = هذه المناطق فقط، مفصولة بفواصل، خادم في كل منها أولًا (`-` = أي)
cmd-plan-edit-trial-desc = تجربة مجانية: السعر 0، حتى 14 يومًا، مرة لكل حساب، بلا دفع
cmd-plan-edit-trial_role-desc = التجربة لأعضاء هذا الدور فقط
cmd-plan-edit-active-desc = معروضة للبيع
cmd-plan-disable-id-desc = الباقة
cmd-method-add-id-desc = مثل `vodafone-cash`
cmd-method-add-label-desc = يظهر على الزر
cmd-method-add-kind-desc = كيف يدفع المشترون
cmd-method-add-instructions-desc = ما يجب فعله؛ يمكن استخدام {"{"}amount{"}"} و{"{"}order{"}"}
cmd-method-add-min-desc = أصغر مبلغ، مثل `50 EGP`
cmd-method-add-max-desc = أكبر مبلغ
cmd-method-add-provider-desc = الدفع التلقائي عبر (manual: لقطات شاشة)
cmd-method-edit-id-desc = الطريقة
cmd-method-edit-label-desc = يظهر على الزر
cmd-method-edit-kind-desc = كيف يدفع المشترون
cmd-method-edit-instructions-desc = يمكن استخدام {"{"}amount{"}"} و{"{"}order{"}"}
cmd-method-edit-min-desc = أصغر مبلغ (`none` للإزالة)
cmd-method-edit-max-desc = أكبر مبلغ (`none` للإزالة)
cmd-method-edit-enabled-desc = معروضة
cmd-method-edit-provider-desc = الدفع التلقائي عبر (manual: لقطات شاشة)
cmd-method-disable-id-desc = الطريقة
cmd-server-add-id-desc = مثل `fra-1`
cmd-server-add-name-desc = اسم يعرفه المشرفون
cmd-server-add-region-desc = مثل `eu` و`us-east`
cmd-server-add-gateway_url-desc = عنوان URL الأساسي للبوابة
cmd-server-add-key_id-desc = مفتاح التوقيع الذي يستخدمه المتجر له
cmd-server-add-inbound_id-desc = مدخل 3x-ui الذي يذهب إليه العملاء الجدد
cmd-server-add-public_host-desc = المضيف الذي يتصل به المشترون
cmd-server-add-capacity-desc = كم اشتراكًا نشطًا يستوعب
cmd-server-add-tags-desc = مفصولة بفواصل
cmd-server-edit-id-desc = الخادم
cmd-server-edit-name-desc = اسم يعرفه المشرفون
cmd-server-edit-region-desc = مثل `eu` و`us-east`
cmd-server-edit-gateway_url-desc = عنوان URL الأساسي للبوابة
cmd-server-edit-key_id-desc = مفتاح التوقيع الذي يستخدمه المتجر له
cmd-server-edit-inbound_id-desc = مدخل 3x-ui الذي يذهب إليه العملاء الجدد
cmd-server-edit-public_host-desc = المضيف الذي يتصل به المشترون
cmd-server-edit-capacity-desc = كم اشتراكًا نشطًا يستوعب
cmd-server-edit-tags-desc = مفصولة بفواصل
cmd-server-drain-id-desc = الخادم
cmd-server-remove-id-desc = الخادم
cmd-server-status-id-desc = الخادم
cmd-order-view-code-desc = مثل NL-7K3F9Q2A
cmd-order-retry-code-desc = مثل NL-7K3F9Q2A
cmd-order-cancel-code-desc = مثل NL-7K3F9Q2A
cmd-order-reset-traffic-code-desc = مثل NL-7K3F9Q2A
cmd-export-what-desc = orders (الطلبات) أو subscriptions (الاشتراكات)
cmd-export-format-desc = csv (الافتراضي) أو json
cmd-export-from-desc = اليوم الأول، YYYY-MM-DD (الافتراضي: قبل 30 يومًا)
cmd-export-to-desc = اليوم الأخير، YYYY-MM-DD (الافتراضي: اليوم)
cmd-audit-actor-desc = ما فعله هذا العضو فقط
cmd-audit-order-desc = هذا الطلب فقط (مثل NL-7K3F9Q2A)
cmd-audit-action-desc = الإجراءات التي تبدأ بهذا فقط (مثل order.)
cmd-audit-before-desc = أقدم من رقم هذا الإدخال (الصفحة التالية)
cmd-policy-upload-kind-desc = pricing أو payment-methods أو server-selection
cmd-policy-upload-file-desc = مكوّن ‎.wasm
cmd-policy-upload-name-desc = اسم له (الافتراضي: اسم الملف)
cmd-policy-dry-run-kind-desc = pricing أو payment-methods أو server-selection
cmd-policy-dry-run-file-desc = مكوّن ‎.wasm
cmd-policy-activate-kind-desc = pricing أو payment-methods أو server-selection
cmd-policy-activate-version-desc = قيمة sha256 له
cmd-policy-rollback-kind-desc = pricing أو payment-methods أو server-selection
cmd-policy-rollback-version-desc = قيمة sha256 له
cmd-policy-config-kind-desc = pricing أو payment-methods أو server-selection
cmd-policy-config-settings-desc = أزواج `مفتاح = قيمة` مفصولة بـ `;` (فارغ للمسح)
cmd-broadcast-segment-desc = من يتلقاها
cmd-broadcast-segment-all = كل المشترين
cmd-broadcast-segment-active = وصول نشط
cmd-broadcast-segment-expiring = وصول ينتهي خلال `days`
cmd-broadcast-segment-expired = وصول منتهٍ
cmd-broadcast-segment-plan = نشط على `plan`
cmd-broadcast-message-desc = ما سيقرؤونه
cmd-broadcast-days-desc = لـ `expiring`: خلال كم يومًا
cmd-broadcast-plan-desc = لـ `plan`: معرّف الباقة

## السياسات (/policy)

policy-line = { $kind } `{ $hash }` { $name } ({ $bytes } بايت، { $installed })
policy-live = مفعّلة
policy-installed = أصبحت **{ $name }** سياسة { $kind } المفعّلة (`{ $hash }`). نجحت { $vectors } متجهات اختبار؛ وفي آخر { $checked } طلبًا حقيقيًا تقرر بشكل مختلف في { $changed }.
policy-dry-run = لم تُثبَّت. نجحت { $vectors } متجهات اختبار؛ وفي آخر { $checked } طلبًا حقيقيًا كانت ستقرر بشكل مختلف في { $changed }.
policy-activated = أصبحت **{ $name }** (`{ $hash }`) سياسة { $kind } المفعّلة.
policy-configured = تعمل سياسة { $kind } **{ $name }** الآن بـ { $count } إعدادات.
policy-no-match = لا توجد سياسة { $kind } محفوظة تبدأ بـ `{ $prefix }`.
policy-ambiguous = `{ $prefix }` يطابق عدة إصدارات؛ أعطِ جزءًا أطول من sha256.
