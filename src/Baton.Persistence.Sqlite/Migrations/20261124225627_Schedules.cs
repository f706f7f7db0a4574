using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Baton.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "previous_run_id",
                table: "plan_items",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<long>(type: "INTEGER", nullable: false),
                    cron = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    work_items = table.Column<string>(type: "TEXT", nullable: true),
                    paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    next_run_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_run_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_plan_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedules", x => x.id);
                    table.ForeignKey(
                        name: "fk_schedules_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plan_items_previous_run_id",
                table: "plan_items",
                column: "previous_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_schedules_due",
                table: "schedules",
                column: "next_run_at",
                filter: "paused = FALSE");

            migrationBuilder.CreateIndex(
                name: "ix_schedules_project_id_id",
                table: "schedules",
                columns: new[] { "project_id", "id" });

            migrationBuilder.AddForeignKey(
                name: "fk_plan_items_runs_previous_run_id",
                table: "plan_items",
                column: "previous_run_id",
                principalTable: "runs",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_plan_items_runs_previous_run_id",
                table: "plan_items");

            migrationBuilder.DropTable(
                name: "schedules");

            migrationBuilder.DropIndex(
                name: "ix_plan_items_previous_run_id",
                table: "plan_items");

            migrationBuilder.DropColumn(
                name: "previous_run_id",
                table: "plan_items");
        }
    }
}
