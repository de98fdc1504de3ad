import { Construct } from "constructs";
import { NotificationDiscord } from "../../.gen/providers/coolify/notification-discord";
import { type DiscordNotificationConfig, NOTIFICATION_EVENTS, type NotificationEvent } from "../../config/schema";
import { type AppsSecrets, DISCORD_WEBHOOK_VARIABLE } from "./apps-secrets";

/** Which Coolify setting each configured event turns on. */
const EVENT_SETTINGS: Readonly<Record<NotificationEvent, "deploymentFailure" | "backupFailure" | "serverUnreachable">> = {
  "deployment-failure": "deploymentFailure",
  "backup-failure": "backupFailure",
  "server-unreachable": "serverUnreachable",
};

export interface DiscordNotificationsProps {
  readonly discord: DiscordNotificationConfig;
  readonly secrets: AppsSecrets;
}

/** The team's Discord notifications (one setting per Coolify team): the chosen events on, the others off. */
export class DiscordNotifications extends Construct {
  constructor(scope: Construct, id: string, { discord, secrets }: DiscordNotificationsProps) {
    super(scope, id);
    const events = Object.fromEntries(NOTIFICATION_EVENTS.map((event) => [EVENT_SETTINGS[event], discord.events.includes(event)]));
    new NotificationDiscord(this, "discord", {
      enabled: true,
      webhookUrl: secrets.value(DISCORD_WEBHOOK_VARIABLE, "Discord webhook URL for Coolify notifications"),
      ...events,
    });
  }
}
