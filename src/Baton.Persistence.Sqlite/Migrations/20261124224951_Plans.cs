using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Plans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "concurrency_group",
                table: "work_items",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "concurrency_limit",
                table: "work_items",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    scheduled_for = table.Column<long>(type: "INTEGER", nullable: true),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_plans_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plan_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: false),
                    work_item_id = table.Column<long>(type: "INTEGER", nullable: false),
                    depends_on = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plan_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_plan_items_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_plan_items_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_plan_items_work_items_work_item_id",
                        column: x => x.work_item_id,
                        principalTable: "work_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plan_items_plan_id_work_item_id",
                table: "plan_items",
                columns: new[] { "plan_id", "work_item_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plan_items_ready",
                table: "plan_items",
                columns: new[] { "priority", "due_at" },
                descending: new[] { true, false },
                filter: "status = 'Ready'");

            migrationBuilder.CreateIndex(
                name: "ix_plan_items_run_id",
                table: "plan_items",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_plan_items_work_item_id",
                table: "plan_items",
                column: "work_item_id");

            migrationBuilder.CreateIndex(
                name: "ix_plans_project_id_id",
                table: "plans",
                columns: new[] { "project_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_plans_running",
                table: "plans",
                column: "id",
                filter: "status = 'Running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_items");

            migrationBuilder.DropTable(
                name: "plans");

            migrationBuilder.DropColumn(
                name: "concurrency_group",
                table: "work_items");

            migrationBuilder.DropColumn(
                name: "concurrency_limit",
                table: "work_items");
        }
    }
}
