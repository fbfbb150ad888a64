# NebulaLinks：简体中文。键与变量与 en.ftl 完全一致（由 bot/tests/locales.rs 检查）。

## 单位与短语

duration-days = { $days } 天
devices-any = 不限设备数
devices-count = { $count } 台设备
traffic-unlimited = 不限流量
traffic-gb = { $amount } GB
traffic-mb = { $amount } MB
used-of = { $used } / { $limit }
used-unlimited = { $used }（不限）
region-in = 位于 { $region }

state-awaiting_method = 等待选择付款方式
state-awaiting_proof = 等待付款凭证
state-under_review = 审核中
state-provisioning = 正在开通
state-fulfilled = 已完成
state-declined = 已拒绝
state-cancelled = 已取消
state-timed_out = 已超时
state-failed = 已失败

status-active = 有效
status-suspended = 已暂停
status-expired = 已到期
status-deleted = 已删除

## 商店面板与套餐选择

panel-title = VPN 访问
panel-empty = 目前没有在售的套餐，请稍后再来看看。
panel-intro = 点击 **购买访问** 选择套餐。用我们的任一方式付款并上传截图，管理员确认后即可获得链接。
plan-line = { $duration } · { $traffic } · { $devices } · **{ $price }**
button-buy = 购买访问
button-subscriptions = 我的订阅
button-help = 帮助
button-language = 语言
picker-free-trial = 免费试用
picker-option-detail = { $duration }，{ $traffic }
picker-placeholder = 选择套餐
picker-with-coupon = 使用优惠码 **{ $coupon }** 后的价格：
picker-question = 您想要哪个套餐？
button-coupon = 我有优惠码
nothing-on-sale = 目前没有在售商品，请稍后再来看看。
help-text = **使用方法**
    1. 点击 **购买访问** 并选择套餐（如有优惠码也可使用）。
    2. 系统会为您开一个私人频道：选择付款方式并按说明操作。
    3. 在频道中上传付款截图。
    4. 管理员审核后，链接和二维码会发到频道并私信给您。

    在 **我的订阅** 中可查看链接、用量和到期时间，并可续费：续费后链接不变。

## 语言

language-question = 您希望商店用哪种语言与您交流？
language-placeholder = 选择语言
language-chosen = 从现在起，商店将用简体中文与您交流。

## 表单

coupon-modal-title = 使用优惠码
coupon-modal-field = 优惠码
coupon-empty = 请输入优惠码。
transfer-modal-title = 您的 USDT（TRC-20）转账
transfer-modal-field = 交易 ID（哈希）
decline-modal-title = 拒绝这笔付款
decline-modal-field = 原因（买家可见）
form-expired = 此表单已过期。
button-expired = 此按钮已失效。

## 创建订单

order-opening = 正在创建您的订单…
order-open-soon = 订单 **{ $code }** 已创建，您的私人频道马上就会出现。
order-open-in = 订单 **{ $code }** 已在 { $channel } 中打开。
order-open-then-pay = 请在那里选择付款方式。
order-open-then-trial = 您的访问马上会出现在那里。
pick-plan-from-list = 请从列表中选择套餐。
pick-plan = 请选择套餐。
plan-gone = 该套餐已下架。
order-channel-topic = 订单 { $code }：{ $plan }

## 订单频道

field-plan = 套餐
field-price = 价格
field-shopper = 买家
field-method = 付款方式
field-flags = 标记
field-screenshot = 截图
field-region = 地区
field-expires = 到期时间
field-traffic = 流量
field-devices = 设备
field-status = 状态
field-used = 已用
plan-summary = { $plan }（{ $duration }，{ $traffic }，{ $devices }）
price-total = **合计：{ $total }**
order-footer = 订单 { $code }
order-title-new = 您的订单
order-title-renewal = 您的续费
order-choose-method = 请选择付款方式。上传截图之前都可以更改。
button-cancel = 取消
trial-title = 您的免费试用
trial-description = 无需付款：您的访问正在开通，马上会显示在这里。
method-chosen = **{ $method }** 的付款说明已发到频道中。
instructions-title = 使用 { $method } 付款
instructions-then-screenshot = 然后 **在此频道上传付款截图**（PNG、JPEG、WebP 或 GIF）。
instructions-then-tron = 然后点击 **我已付款** 并粘贴交易 ID：商店会在链上核对并立即为您开通。（也可以上传截图交给管理员。）
instructions-then-link = 付款链接马上就到；在那里付款后，您的访问会自动开通。
button-paid = 我已付款
checkout-title = 使用 { $method } 支付 { $amount }
checkout-description = 打开下方的付款页面。付款一经确认，您的访问会在这里自动开通，无需截图。
checkout-button = 支付 { $amount }
order-cancelled = 订单 **{ $code }** 已取消。

## 截图

proof-not-yours = 只有 { $owner } 可以上传此订单的付款截图。
proof-not-image = 请以图片形式上传截图（PNG、JPEG、WebP 或 GIF）。
proof-too-large = 图片太大，上限为 { $mb } MB。
proof-not-now = 此订单{ $state }，目前不需要截图。

## USDT 转账

usdt-not-set-up = 本店未开通 USDT 付款。
transfer-refused = { $why } 您也可以在这里上传付款截图，交给管理员审核。
transfer-paid = 已收到付款，正在为您开通访问。
transfer-review = 您的转账已到账，但{ $why }。管理员会尽快查看。
transfer-already = 这笔转账已计入此订单。
transfer-not-awaiting = 此订单已不再等待付款；已将您的转账告知管理员。
transfer-not-a-txid = 这不是 TRON 交易 ID（应为 64 位十六进制字符）。
transfer-not-found = 在 TRON 网络上找不到该交易。
transfer-failed = 该交易在链上失败，资金未转移。
transfer-not-confirmed = 该交易尚未确认（{ $have }/{ $need } 个确认），请一分钟后再试。
transfer-not-solidified = 该交易尚未最终确认，请一分钟后再试。
transfer-not-a-transfer = 该交易不是代币转账。
transfer-wrong-token = 该转账不是 { $symbol }（转的是其他代币）。
transfer-wrong-recipient = 该转账发往了其他地址，而不是本店地址。
transfer-before-order = 该转账发生在订单创建之前。
transfer-wrong-currency = 本店 { $symbol } 的汇率以 { $rate } 计价，而订单以 { $order } 计价。
transfer-network-down = 暂时无法查询 TRON 网络，请一分钟后再试。

## 付款差异

difference-wrong-currency = 以 { $got } 付款，而订单以 { $expected } 计价
difference-underpaid = 付款 { $got }，少于应付的 { $expected }
difference-overpaid = 付款 { $got }，多于应付的 { $expected }
difference-paid-late = 在账单过期后付款

## 审核（管理员）

review-title = 待审核的付款
flag-first-order = 🆕 首单
flag-duplicate-proof = ⚠️ 同一张截图已用于订单 { $code }
flag-payment = 💳 { $provider } { $reference } 已付 { $paid }
screenshot-gone = 已不再保存
button-approve = 通过
button-decline = 拒绝
review-approved-by = ✅ 由 { $admin } 通过
review-declined-by = ❌ 由 { $admin } 拒绝
review-paid = ✅ 已通过 { $provider } 自动付款，无需审核。
order-approved = 订单 **{ $code }** 已通过，正在开通访问。
order-declined = 订单 **{ $code }** 已拒绝，已告知买家原因。
order-retrying = 正在重试订单 **{ $code }**。
alert-title = ⚠️ 需要处理
button-retry = 重试

## 访问

access-title-ready = 您的访问已就绪
access-title-renewed = 您的访问已续费
access-import = 将此链接导入您的 VLESS 应用（v2rayNG、Hiddify、Streisand 等），或扫描二维码。请勿外传。
access-multi = 您的套餐在 { $count } 台服务器上运行，共享同一份流量。下方的订阅链接包含全部服务器；也可以逐台导入链接。请勿外传。
links-alternatives = 如果连不上，请试试同一服务器的其他地址：
links-more-in-subscription = （订阅链接中还有 { $count } 个）
links-more-ask = （还有 { $count } 个：请联系管理员）
field-personal-url = 您的订阅链接
personal-url-explained = 将它作为订阅添加到应用中：它包含您的全部访问，会自动更新，续费后也不变。
field-subscription-url = 订阅链接

## 订单频道通知

notice-under-review-title = 审核中
notice-under-review = 谢谢！您的付款正在审核，通过后链接会发到这里。
notice-declined-title = 付款被拒绝
notice-declined = 您的付款被拒绝：{ $reason }
    如果您认为有误，请联系管理员。
notice-cancelled-title = 订单已取消
notice-cancelled-by-admin = 管理员取消了此订单。
notice-cancelled-by-you = 您取消了此订单，未产生任何扣款。
notice-timed-out-title = 订单已超时
notice-timed-out = 此订单未按时付款，已关闭。您可以在商店重新下单。
notice-delayed-title = 马上就好
notice-delayed = 您的付款已通过，但开通访问时遇到问题。已通知管理员处理。
notice-paid-title = 已收到付款
notice-paid = 您的 { $provider } 付款已确认，正在为您开通访问。
notice-paid-review-title = 付款审核中
notice-paid-review = 您的 { $provider } 付款已到账，但{ $why }。管理员会查看并在这里回复您。

## 私信通知

sub-ending-title = 您的访问即将到期
sub-ending = 您的 **{ $plan }** 访问将于 { $when } 到期。现在续费可保留同一链接。
sub-expired-title = 您的访问已到期
sub-expired = 您的 **{ $plan }** 访问已于 { $when } 到期。续费即可用同一链接恢复。
sub-traffic-out-title = 流量已用完
sub-traffic-out = 您的 **{ $plan }** 访问已用完全部 { $limit } 流量，已暂停。续费即可在同一链接上获得新流量。
sub-traffic-low-title = 流量即将用完
sub-traffic-low = 您的 **{ $plan }** 访问已使用 { $percent }% 的流量（{ $used } / { $limit }）。
sub-device-limit-title = 已达设备上限
sub-device-limit = { $device } 试图使用您的订阅，但您的套餐只允许 { $devices }，且都在使用中。请在 **我的设备** 中移除不再使用的设备，然后刷新应用。
sub-device-new = 一台新设备
sub-moved-title = 您的访问已迁移
sub-moved = 您的 **{ $plan }** 中有一台服务器（{ $from }）已停止服务，您的访问现已转到另一台（{ $to }）。使用个人订阅链接的应用会在下次刷新时自动更新；手动复制的单个链接需要到 **我的订阅** 重新复制。
region-unknown = 其他地区
button-renew = 续费 { $plan }
button-devices = 我的设备

## 我的订阅与设备

subs-none = 您还没有订阅。点击 **购买访问** 获取一个。
subs-url-title = 您的订阅链接
subs-url = 一个链接涵盖您的全部访问：作为订阅添加到应用中即可自动更新。请勿外传。
button-reset-link = 重置链接
reset-confirm = 新的订阅链接会立即停用旧链接：所有使用旧链接的应用和设备都需要添加新链接。若链接被分享或泄露，请使用此功能。
button-reset-confirm = 是的，给我新链接
reset-link-none = 本店不提供订阅链接。
reset-link-done = 这是您的新订阅链接。旧链接已失效，请将新链接添加到您的应用中。
devices-none = 还没有设备获取过您的订阅链接（不报告设备信息的应用不计入）。
devices-allowed = 您的套餐允许 { $devices }。正在使用：
device-line = { $n }. { $what }，最后在线 { $when }
device-unnamed = 未命名设备
button-remove-device = 移除 { $n }

## 群发消息

broadcast-title = 公告
broadcast-footer = 您收到此消息是因为您使用过本店。可用下方按钮停止接收此类消息。
button-stop-broadcasts = 不再接收
broadcast-preview = 此消息将通过私信逐一发送给 **{ $count }** 人（{ $segment }）。效果如下：
button-send-broadcast = 发送给 { $count } 人
broadcast-sending = 正在发送给 { $count } 位买家，进度会显示在此频道。
broadcast-opted-out = 您将不再收到本店的公告。您的订单和访问不受影响。
broadcast-progress-going = **群发进行中**：共 { $count } 人（{ $segment }）：已发送 { $sent }，失败 { $failed }，跳过 { $skipped }（已退订），剩余 { $left }。
broadcast-progress-done = **群发已完成**：共 { $count } 人（{ $segment }）：已发送 { $sent }，失败 { $failed }，跳过 { $skipped }（已退订），剩余 { $left }。
segment-all = 所有买家
segment-active = 访问有效的买家
segment-expiring = 访问将在 { $days } 天内到期的买家
segment-expired = 访问已到期的买家
segment-plan = 套餐 { $plan } 中访问有效的买家

## 错误

error-internal = 我们这边出了点问题，详情见日志。
error-store = 我们这边出了点问题，请稍后再试。
error-policy-not-installed = 策略未安装：{ $why }。
error-gateway = 服务器网关的响应不符合预期（{ $why }）。
gateway-timed-out = 超时
gateway-unreachable = 无法连接
error-discord = Discord 未接受此操作，请稍后再试。
error-not-admin = 只有管理员可以这样做。
error-not-set-up = 商店尚未设置：需要管理员运行 /setup。
error-too-slow = 处理时间过长，请重试。
error-already-approved = 此订单已由 { $admin } 通过。
error-already-declined = 此订单已由 { $admin } 拒绝。
error-not-found = 这里没有名为 `{ $id }` 的项目。
error-exists = `{ $id }` 已存在。
error-invalid = 这样不行：{ $why }。
error-money = 这个金额不行：{ $why }。
error-no-method = 该套餐目前没有可用的付款方式，请联系管理员。
error-policy = 商店目前无法为此定价，已通知管理员。未产生任何扣款。
rejection-not-allowed-now = 此订单{ $state }，目前无法进行此操作。
rejection-not-your-order = 这不是您的订单。
rejection-system-only = 只有商店系统本身可以这样做。
rejection-method-not-offered = 此订单不提供该付款方式。
rejection-bad-reason = 必须填写原因（1 到 { $max } 个字符）。
rejection-not-due = 此订单尚未到超时时间。
rejection-no-server = 目前没有服务器能接收此订单，已通知管理员。
rejection-payment-used = 这笔付款已用于订单 { $code }。
rejection-not-a-trial = 该套餐不是试用套餐。
trial-already-used = 您已经使用过免费试用（订单 { $code }）。
trial-role-required = 此试用仅限拥有 { $role } 身份组的成员。
trial-too-young = 您的 Discord 账号注册了 { $age } 天；试用需要账号至少注册 { $min } 天。
trial-not-free = 定价策略将此试用定价为 { $total }，但试用应当免费：需要管理员修正策略。
trial-not-renewable = 试用无法续费；请选择一个套餐以保留访问。

## 斜杠命令（名称小写、无空格）

cmd-setup = 设置
cmd-setup-desc = 设置商店的频道和管理员身份组，并发布面板
cmd-plan = 套餐
cmd-plan-desc = 管理套餐
cmd-plan-add = 添加
cmd-plan-add-desc = 添加套餐
cmd-plan-edit = 修改
cmd-plan-edit-desc = 修改套餐
cmd-plan-disable = 停售
cmd-plan-disable-desc = 停售套餐
cmd-plan-list = 列表
cmd-plan-list-desc = 全部套餐
cmd-method = 付款方式
cmd-method-desc = 管理付款方式
cmd-method-add = 添加
cmd-method-add-desc = 添加付款方式
cmd-method-edit = 修改
cmd-method-edit-desc = 修改付款方式
cmd-method-disable = 停用
cmd-method-disable-desc = 不再提供某付款方式
cmd-method-list = 列表
cmd-method-list-desc = 全部付款方式
cmd-server = 服务器
cmd-server-desc = 管理 VPN 服务器
cmd-server-add = 添加
cmd-server-add-desc = 添加服务器
cmd-server-edit = 修改
cmd-server-edit-desc = 修改服务器
cmd-server-drain = 排空
cmd-server-drain-desc = 保留现有客户，不再接收新客户
cmd-server-remove = 移除
cmd-server-remove-desc = 移除没有客户的服务器
cmd-server-list = 列表
cmd-server-list-desc = 全部服务器及其负载
cmd-server-status = 状态
cmd-server-status-desc = 询问服务器网关的状态
cmd-order = 订单
cmd-order-desc = 处理订单
cmd-order-view = 查看
cmd-order-view-desc = 订单及其历史
cmd-order-retry = 重试
cmd-order-retry-desc = 重新开通失败的订单
cmd-order-cancel = 取消
cmd-order-cancel-desc = 取消未付款的订单
cmd-stats = 统计
cmd-stats-desc = 收入、订单、通过率、审核时长、负载和 30 天图表
cmd-export = 导出
cmd-export-desc = 按日期范围导出订单或订阅（CSV 或 JSON）
cmd-audit = 审计
cmd-audit-desc = 谁做了什么，最新的在前
cmd-policy = 策略
cmd-policy-desc = 定价、付款方式和服务器选择策略
cmd-policy-list = 列表
cmd-policy-list-desc = 已存储的版本及正在生效的版本
cmd-policy-activate = 启用
cmd-policy-activate-desc = 让已存储的版本生效
cmd-policy-rollback = 回滚
cmd-policy-rollback-desc = 回到较早的版本
cmd-policy-config = 配置
cmd-policy-config-desc = 设置当前策略的配置
cmd-broadcast = 群发
cmd-broadcast-desc = 私信群发给买家（先预览）

## 管理命令的回复

admin-unknown-command = 我不认识这个命令。
admin-required = 必须填写 `{ $name }`。
admin-not-negative = `{ $name }` 必须大于或等于 0。
admin-bad-money = { $why }。金额请写成 `250 EGP` 这样。
admin-bad-kind = `{ $kind }` 不是付款类型。
admin-none-yet = 暂无
admin-plans-title = 套餐
admin-plan-added = 已添加套餐 `{ $id }`：{ $name }，价格 { $price }。
admin-plan-updated = 已更新套餐 `{ $id }`。
admin-plan-off-sale = 套餐 `{ $id }` 已停售。
admin-plan-line = `{ $id }` { $name } — { $duration }，{ $traffic }，{ $price }
admin-plan-trial = （试用）
admin-plan-trial-role = （试用，仅限 { $role }）
admin-plan-off = （已停售）
admin-methods-title = 付款方式
admin-method-added = 已添加付款方式 `{ $id }`（{ $label }）。
admin-method-updated = 已更新付款方式 `{ $id }`。
admin-method-off = 付款方式 `{ $id }` 已不再提供。
admin-method-disabled = （已停用）
admin-unknown-provider = 我不认识支付服务商“{ $provider }”。
admin-provider-not-set-up = 本店配置中未设置 { $provider }（{ $section }）；请参阅 docs/payments.md。
admin-servers-title = 服务器
admin-server-added = 已在 { $region } 添加服务器 `{ $id }`。
admin-server-updated = 已更新服务器 `{ $id }`。
admin-server-draining = 服务器 `{ $id }` 正在排空：保留现有客户，不再接收新客户。
admin-server-removed = 已移除服务器 `{ $id }`。
admin-server-line = `{ $id }` { $name }（{ $region }）— { $status }，容量 { $capacity }，{ $url }
admin-server-up = 运行中
admin-server-down = 已宕机
admin-server-draining-word = 排空中
admin-panel-reachable = `{ $id }`：网关运行中，面板可访问
admin-panel-unreachable = `{ $id }`：网关运行中，面板无法访问
admin-traffic-reset = 订单 **{ $code }** 在 { $servers } 上的流量已从零重新计算；其客户端已重新启用。
admin-order-declined-by = 已被 { $admin } 拒绝：{ $reason }
admin-order-failed-after = 尝试 { $attempts } 次后失败：{ $error }
admin-field-state = 状态
admin-field-kind = 类型
admin-kind-new = 新购
admin-kind-renewal = 续费
admin-field-total = 合计
admin-field-pricing = 定价
admin-field-history = 历史
admin-policies-title = 策略
admin-attach-wasm = 请附上 .wasm 文件。
admin-not-key-value = `{ $pair }` 不是 `键 = 值` 的格式。
admin-stats-title = 商店统计
admin-stats-today = 今天
admin-stats-all-time = 全部
admin-stats-approval = 通过率
admin-stats-review-time = 审核时长中位数
admin-stats-by-state = 各状态订单
admin-stats-per-server = 各服务器有效订阅
admin-stats-top-plans = 热门套餐
admin-stats-by-policy = 按定价策略的收入
admin-stats-by-provider = 按支付服务商的收入
admin-stats-plan-line = { $plan } — { $orders } 个订单，{ $revenue }
admin-stats-footer = 截至 { $when }（UTC）。收入只计已完成的订单。
admin-not-a-date = `{ $text }` 不是 2026-11-24 这样的日期。
admin-out-of-range = `{ $text }` 超出范围。
admin-from-after-to = `from` 必须早于或等于 `to`。
admin-export-failed = 导出失败：{ $why }。
admin-exported = { $from } 至 { $to }（UTC）的 { $rows } 条 { $what }。
admin-audit-title = 审计日志
admin-audit-older = 更早的记录：`{ $command }`（筛选条件相同）。
admin-expiring-needs-days = `expiring` 需要 `days`。
admin-plan-needs-id = `plan` 需要套餐的 id。
admin-not-a-segment = `{ $segment }` 不是分组：all、active、expiring、expired 或 plan。
admin-setup-done = 商店已设置好，面板已发布。
admin-setup-no-panel = 已保存，但面板未能发布：{ $why }
admin-setup-unchecked = 我无法检查管理员身份组能否使用管理命令；`nebula doctor` 也会检查这一点。
admin-role-cannot-use = 拥有 { $role } 的成员还不能使用 { $commands }：Discord 只向拥有“管理服务器”权限的成员显示这些命令。请在 服务器设置 → 整合 → 本机器人 中把 { $role } 添加到这些命令（或全部命令），或给该身份组“管理服务器”权限。
admin-no-plan = 没有套餐 `{ $id }`。
admin-no-server = 没有服务器 `{ $id }`。
cmd-order-reset-traffic = 重置流量
cmd-order-reset-traffic-desc = 将订单所购服务的用量从零重新计算（所有服务器）
cmd-policy-upload = 上传
cmd-policy-upload-desc = 安装策略（.wasm）：检查、测试向量、试运行，然后生效
cmd-policy-dry-run = 试运行
cmd-policy-dry-run-desc = 不安装，看策略对近期真实订单会如何决定

## 订阅页面（在浏览器中打开订阅链接）

page-used = 已使用 { $used }，共 { $total }。
page-subscriptions = 订阅
page-subscription = { $plan }：{ $status }，有效期至 { $until }（剩余 { $days } 天）
page-status-used-up = 流量已用完
page-links = 链接
page-qr = 二维码
page-apps = 应用
page-apps-intro = 在以下任一应用中将本页地址添加为订阅：
page-platform-ios = iPhone 和 iPad
page-support = 客服

## 审核频道中的警报（面板或服务商的错误原样引用）

alert-provisioning-failed = 订单 { $code } 在第 { $attempts } 次尝试后开通失败：{ $error }
alert-payment-not-awaited = 订单 { $code } 收到一笔 { $provider } 付款（{ $reference }，{ $paid }），但该订单{ $state }，已不再等待付款。请手动退款或履约。
alert-checkout-failed = 尝试 { $attempts } 次后仍无法为订单 { $code } 打开 { $provider } 付款：{ $error }。买家仍可用其他方式付款或发送截图。
alert-move-failed = 尝试 { $attempts } 次后仍无法将订阅 { $subscription }（{ $client }）迁移到服务器 { $server }：{ $error }。它保持原位；健康检查会重新安排迁移。
alert-panel-disable = 停用 { $client }
alert-panel-delete = 删除 { $client }
alert-panel-reset = 重置 { $client } 的流量
alert-panel-failed = 尝试 { $attempts } 次后仍无法在服务器 { $server } 上{ $what }：{ $error }。请检查面板。
alert-discord-failed = 尝试 { $attempts } 次后仍无法执行“{ $effect }”：{ $error }
alert-drift = 对账在服务器 { $server } 上发现 { $count } 处差异（未做任何更改）：
alert-drift-more = …还有 { $more } 处（见审计日志）
alert-server-up = 服务器 { $server } 已恢复（曾宕机 { $minutes } 分钟）。
alert-server-down = 服务器 { $server } 自 { $since } 起宕机：{ $error }。在恢复响应前不会分配给新订单。
alert-moves-stuck = 服务器 { $server } 上有 { $count } 个订阅需要迁移，但无法迁移：{ $reason }。请添加服务器或腾出容量。
alert-policy-failed = { $policy } 策略（{ $hash }）失败：{ $error }。在恢复前买家无法购买：用 `/policy rollback` 回滚，或用 `/policy config` 修正配置。

## 斜杠命令选项（说明；名称保持英文）

cmd-setup-shop_channel-desc = 商店面板所在频道
cmd-setup-review_channel-desc = 管理员审核付款的频道
cmd-setup-order_category-desc = 私人订单频道所在的分类
cmd-setup-admin_role-desc = 谁可以通过、拒绝和管理
cmd-plan-add-id-desc = 例如 `month-50gb`
cmd-plan-add-name-desc = 显示给买家
cmd-plan-add-days-desc = 时长（天）
cmd-plan-add-traffic_gb-desc = 流量额度，单位 GB（0 = 不限）
cmd-plan-add-devices-desc = 同时在线设备数（0 = 不限）
cmd-plan-add-price-desc = 例如 `250 EGP` 或 `9.99 USD`
cmd-plan-add-sort-desc = 在面板中的位置（小的在前）
cmd-plan-add-servers-desc = 在多少台服务器上提供访问（共享额度；默认 1）
cmd-plan-add-regions-desc = 仅这些地区，逗号分隔，先每个地区一台（`-` = 任意）
cmd-plan-add-trial-desc = 免费试用：价格 0，最多 14 天，每个账号一次，无需付款
cmd-plan-add-trial_role-desc = 仅拥有此身份组的成员可试用
cmd-plan-edit-id-desc = 套餐
cmd-plan-edit-name-desc = 显示给买家
cmd-plan-edit-days-desc = 时长（天）
cmd-plan-edit-traffic_gb-desc = 流量额度，单位 GB（0 = 不限）
cmd-plan-edit-devices-desc = 同时在线设备数（0 = 不限）
cmd-plan-edit-price-desc = 例如 `250 EGP` 或 `9.99 USD`
cmd-plan-edit-sort-desc = 在面板中的位置（小的在前）
cmd-plan-edit-servers-desc = 在多少台服务器上提供访问（共享额度；默认 1）
cmd-plan-edit-regions-desc = 仅这些地区，逗号分隔，先每个地区一台（`-` = 任意）
cmd-plan-edit-trial-desc = 免费试用：价格 0，最多 14 天，每个账号一次，无需付款
cmd-plan-edit-trial_role-desc = 仅拥有此身份组的成员可试用
cmd-plan-edit-active-desc = 在售
cmd-plan-disable-id-desc = 套餐
cmd-method-add-id-desc = 例如 `vodafone-cash`
cmd-method-add-label-desc = 显示在按钮上
cmd-method-add-kind-desc = 买家如何付款
cmd-method-add-instructions-desc = 付款说明；可用 {"{"}amount{"}"} 和 {"{"}order{"}"}
cmd-method-add-min-desc = 最小金额，例如 `50 EGP`
cmd-method-add-max-desc = 最大金额
cmd-method-add-provider-desc = 自动付款渠道（manual：截图）
cmd-method-edit-id-desc = 付款方式
cmd-method-edit-label-desc = 显示在按钮上
cmd-method-edit-kind-desc = 买家如何付款
cmd-method-edit-instructions-desc = 可用 {"{"}amount{"}"} 和 {"{"}order{"}"}
cmd-method-edit-min-desc = 最小金额（`none` 表示移除）
cmd-method-edit-max-desc = 最大金额（`none` 表示移除）
cmd-method-edit-enabled-desc = 提供中
cmd-method-edit-provider-desc = 自动付款渠道（manual：截图）
cmd-method-disable-id-desc = 付款方式
cmd-server-add-id-desc = 例如 `fra-1`
cmd-server-add-name-desc = 管理员认得的名称
cmd-server-add-region-desc = 例如 `eu`、`us-east`
cmd-server-add-gateway_url-desc = 网关的基础 URL
cmd-server-add-key_id-desc = 商店为它使用的签名密钥
cmd-server-add-inbound_id-desc = 新客户端加入的 3x-ui 入站
cmd-server-add-public_host-desc = 买家连接的主机
cmd-server-add-capacity-desc = 可容纳多少个有效订阅
cmd-server-add-tags-desc = 逗号分隔
cmd-server-edit-id-desc = 服务器
cmd-server-edit-name-desc = 管理员认得的名称
cmd-server-edit-region-desc = 例如 `eu`、`us-east`
cmd-server-edit-gateway_url-desc = 网关的基础 URL
cmd-server-edit-key_id-desc = 商店为它使用的签名密钥
cmd-server-edit-inbound_id-desc = 新客户端加入的 3x-ui 入站
cmd-server-edit-public_host-desc = 买家连接的主机
cmd-server-edit-capacity-desc = 可容纳多少个有效订阅
cmd-server-edit-tags-desc = 逗号分隔
cmd-server-drain-id-desc = 服务器
cmd-server-remove-id-desc = 服务器
cmd-server-status-id-desc = 服务器
cmd-order-view-code-desc = 例如 NL-7K3F9Q2A
cmd-order-retry-code-desc = 例如 NL-7K3F9Q2A
cmd-order-cancel-code-desc = 例如 NL-7K3F9Q2A
cmd-order-reset-traffic-code-desc = 例如 NL-7K3F9Q2A
cmd-export-what-desc = orders（订单）或 subscriptions（订阅）
cmd-export-format-desc = csv（默认）或 json
cmd-export-from-desc = 起始日，YYYY-MM-DD（默认：30 天前）
cmd-export-to-desc = 结束日，YYYY-MM-DD（默认：今天）
cmd-audit-actor-desc = 仅此成员的操作
cmd-audit-order-desc = 仅此订单（例如 NL-7K3F9Q2A）
cmd-audit-action-desc = 仅以此开头的操作（例如 order.）
cmd-audit-before-desc = 早于此条目编号（下一页）
cmd-policy-upload-kind-desc = pricing、payment-methods 或 server-selection
cmd-policy-upload-file-desc = ‎.wasm 组件
cmd-policy-upload-name-desc = 名称（默认：文件名）
cmd-policy-dry-run-kind-desc = pricing、payment-methods 或 server-selection
cmd-policy-dry-run-file-desc = ‎.wasm 组件
cmd-policy-activate-kind-desc = pricing、payment-methods 或 server-selection
cmd-policy-activate-version-desc = 它的 sha256
cmd-policy-rollback-kind-desc = pricing、payment-methods 或 server-selection
cmd-policy-rollback-version-desc = 它的 sha256
cmd-policy-config-kind-desc = pricing、payment-methods 或 server-selection
cmd-policy-config-settings-desc = 以 `;` 分隔的 `键 = 值`（留空则清除）
cmd-broadcast-segment-desc = 发给谁
cmd-broadcast-segment-all = 所有买家
cmd-broadcast-segment-active = 访问有效
cmd-broadcast-segment-expiring = 访问将在 `days` 内到期
cmd-broadcast-segment-expired = 访问已到期
cmd-broadcast-segment-plan = 在 `plan` 上有效
cmd-broadcast-message-desc = 他们将看到的内容
cmd-broadcast-days-desc = 用于 `expiring`：多少天内
cmd-broadcast-plan-desc = 用于 `plan`：套餐 id

## 策略（/policy）

policy-line = { $kind } `{ $hash }` { $name }（{ $bytes } 字节，{ $installed }）
policy-live = 生效中
policy-installed = **{ $name }** 现为生效的 { $kind } 策略（`{ $hash }`）。通过 { $vectors } 个测试向量；在最近 { $checked } 个真实订单中有 { $changed } 个决定不同。
policy-dry-run = 未安装。通过 { $vectors } 个测试向量；在最近 { $checked } 个真实订单中会有 { $changed } 个决定不同。
policy-activated = **{ $name }**（`{ $hash }`）现为生效的 { $kind } 策略。
policy-configured = { $kind } 策略 **{ $name }** 现以 { $count } 项设置运行。
policy-no-match = 没有以 `{ $prefix }` 开头的已存储 { $kind } 策略。
policy-ambiguous = `{ $prefix }` 匹配多个版本，请提供更多 sha256 字符。
