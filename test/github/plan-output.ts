/** A stack's plan output as the plan job captures it: stack-prefixed lines, a replacement, an update and a destroy, colour codes kept. */
export const PLAN = `platform-dev  Terraform used the selected providers to generate the following execution plan.
platform-dev    # azurerm_kubernetes_cluster.Cluster_EB0386A7 must be replaced
platform-dev  -/+ resource "azurerm_kubernetes_cluster" "Cluster_EB0386A7" {
platform-dev        ~ dns_prefix = "aks-a" -> "aks-b" # forces replacement
platform-dev      }
platform-dev    # azurerm_monitor_metric_alert.Alerts_NodeCpu_490C54B1 will be updated in-place
platform-dev    # azurerm_role_assignment.Old will be destroyed
platform-dev  \u001b[1mPlan:\u001b[0m 1 to add, 1 to change, 2 to destroy.`;
